### Textos de Steady en español (Fluent). Los mismos mensajes y variables que en.ftl.
### Tono: cálido, breve, sin culpas y sin presión. Tuteo; «tu pareja» vale para cualquier género.

## formats
formats-when = EEE d MMM, HH:mm
formats-clock = HH:mm
formats-clock_day = HH:mm (EEE)
formats-date = d MMM y
formats-chosen_day = ✓ { $day }

## units
units-minutes =
    { $count ->
        [one] { $count } minuto
       *[other] { $count } minutos
    }
units-hours =
    { $count ->
        [one] { $count } hora
       *[other] { $count } horas
    }
units-days =
    { $count ->
        [one] { $count } día
       *[other] { $count } días
    }
units-answers =
    { $count ->
        [one] { $count } respuesta
       *[other] { $count } respuestas
    }
units-check_ins =
    { $count ->
        [one] { $count } check-in
       *[other] { $count } check-ins
    }
units-pairings =
    { $count ->
        [one] { $count } conexión
       *[other] { $count } conexiones
    }

## commands
commands-start = Bienvenida y qué hace Steady
commands-pair = Invitar a tu pareja
commands-join = Unirte con el código de tu pareja
commands-unpair = Terminar la conexión
commands-language = Tu idioma
commands-checkin = Empezar un check-in ahora
commands-history = Tus check-ins revelados
commands-options = Cuánto tiempo queda abierto un check-in
commands-schedule = Cuándo llegan los check-ins
commands-timezone = Tu zona horaria
commands-pause = Pausar los check-ins
commands-resume = Reanudar los check-ins
commands-skip = Saltar el próximo check-in
commands-conflict = Tuvimos un conflicto: tomar un descanso
commands-help = Qué puede hacer Steady
commands-export = Una copia de tus datos
commands-delete = Borrar tus datos

## start
start-welcome =
    Hola, { $name }. Soy Steady.

    Ayudo a las parejas a reconstruir la confianza, paso a paso, con pequeños gestos sinceros: check-ins regulares que responden ustedes dos, y apoyo amable después de un momento difícil.

    Sus respuestas quedan en privado hasta que estén <b>ambas respuestas</b>. Entonces cada quien ve las dos, una vez.

    Steady es un acompañante, no sustituye a una terapia de pareja.
start-next_unpaired = Para empezar, envía /pair y reenvía la invitación a tu pareja.
start-next_paired = Tu conexión con { $partner } está activa. Envía /help para ver lo que puedes hacer.

## help
help-text =
    <b>Qué puede hacer Steady</b>
    /pair – crear una invitación para tu pareja
    /join CÓDIGO – unirte con el código de tu pareja
    /checkin – empezar un check-in ahora
    /history – check-ins con ambas respuestas
    /options – cuánto tiempo queda abierto un check-in, y recordatorios
    /schedule – los días y la hora de los check-ins
    /timezone – tu zona horaria (cada quien tiene la suya)
    /pause, /resume, /skip – tomar un descanso o saltar el próximo check-in
    /conflict – después de un momento difícil: un descanso de verdad y luego un camino amable de vuelta
    /progress – vuestras últimas 12 semanas en una imagen y en palabras
    /report – un resumen en PDF para vosotros o un terapeuta, solo si los dos estáis de acuerdo
    /unpair – terminar la conexión
    /export, /delete – una copia de tus datos, o borrarlos
    /language – el idioma en que Steady te habla
    /help – esta lista

    <b>Cómo funciona un check-in</b>
    Ustedes dos reciben la misma pregunta y la responden en privado enviándome un mensaje. Si envías otro, reemplaza tu respuesta. Nadie ve la otra respuesta hasta que estén ambas; entonces cada quien ve las dos. Una respuesta que queda sin pareja se borra sin leerse.

    Steady no es terapia. Si buscas apoyo, una terapia de pareja puede ayudar. { $crisis }
help-crisis_default = Si alguien no se siente a salvo, por favor contacta con los servicios de emergencia de tu zona.
help-conflict_button = Tuvimos un conflicto

## pairing
pairing-invite =
    Aquí tienes tu invitación. Reenvía este enlace a tu pareja:
    { $link }

    O tu pareja puede enviarme <code>/join { $code }</code>

    Funciona una sola vez y caduca en 48 horas. Un nuevo /pair la reemplaza.
pairing-already_paired_pair = Ya tienes una conexión con { $partner }. Para empezar de nuevo, envía primero /unpair.
pairing-already_paired_join = Ya tienes una conexión con { $partner }. Para conectarte con otra persona, envía primero /unpair.
pairing-join_usage = Envía el código que te dio tu pareja, así: <code>/join ABCDE-12345</code>
pairing-paired_joiner = Ahora tienes una conexión con { $partner }. Paso a paso, en equipo.
pairing-paired_inviter = { $partner } se unió. Ahora tienen una conexión en Steady. Paso a paso, en equipo.
pairing-not_a_code = Eso no parece un código de invitación. Envía el código que te dio tu pareja, así: <code>/join ABCDE-12345</code>
pairing-wrong = No encuentro ese código. Revísalo con tu pareja o pídele uno nuevo con /pair.
pairing-expired = Esa invitación caducó (duran 48 horas). Tu pareja puede enviar /pair para una nueva.
pairing-used = Esa invitación ya no se puede usar. Tu pareja puede enviar /pair para una nueva.
pairing-replaced = Esa invitación fue reemplazada por una más reciente. Pídele a tu pareja su último código.
pairing-unpaired_partner = { $partner } terminó su conexión en Steady. Cuídate. Puedes usar /pair de nuevo cuando quieras.
pairing-own_invite = Esa es tu propia invitación. Reenvíala a tu pareja para que pueda unirse.
pairing-too_many = Para que las invitaciones sean seguras, creo como máximo { $limit } por hora. Puedes pedir una nueva en { $wait }; mientras tanto, comparte la última que te envié.
pairing-cool_off = Varios códigos no funcionaron. Hagamos una pausa de 15 minutos y luego prueba con el código del último /pair de tu pareja.

## unpair
unpair-not_paired = Ahora mismo no tienes una conexión. Envía /pair para invitar a tu pareja.
unpair-confirm = ¿Quieres terminar tu conexión con { $partner }? Los check-ins se detienen para ustedes dos.
unpair-yes = Sí, terminarla
unpair-no = Mantener la conexión
unpair-done = Tu conexión con { $partner } terminó. Cuídate. Puedes usar /pair de nuevo cuando quieras.
unpair-kept = De acuerdo, nada cambió. Sigues con { $partner }.

## privacy
privacy-export_summary =
    Aquí está todo lo que Steady guarda sobre ti: { $answers }, { $revealed } con ambas respuestas y { $pairings }.

    El archivo es solo tuyo. Guárdalo en un lugar seguro: contiene lo que escribiste.
privacy-export_nothing = Steady todavía no guarda nada sobre ti.
privacy-delete_confirm =
    <b>¿Borrar tus datos?</b>
    Esto termina tu conexión, si tienes una, y borra todo lo que Steady guarda sobre ti: tus respuestas (reveladas o no), tus invitaciones, tu configuración y todo lo que aún espera ser enviado a ti o sobre ti. Las palabras de tu pareja siguen siendo suyas; solo se le dirá que la conexión terminó.

    Lo que no se puede borrar: los mensajes que ya están en el chat de Telegram de tu pareja, un PDF ya enviado y las copias de seguridad antiguas del servidor.

    Si necesitas tiempo para estar a salvo, Steady puede avisar a tu pareja recién dentro de 24 horas. Hasta entonces no le enviará nada sobre esto, aunque tu pareja podría notar que la conexión terminó si usa Steady mientras tanto. { $crisis }

    Puedes guardar antes una copia con /export.
privacy-delete_now = Borrar ahora
privacy-delete_later = Borrar y avisar en 24 horas
privacy-delete_keep = Conservar mis datos
privacy-deleted = Se borró todo lo que Steady guardaba sobre ti. Cuídate mucho. Si alguna vez quieres volver, envía /start.
privacy-deleted_later = Se borró todo lo que Steady guardaba sobre ti. Dentro de 24 horas, Steady le dirá a tu pareja que la conexión terminó, y nada más; si usa Steady antes, podría notarlo. Cuídate mucho.
privacy-kept = No se borró nada. Tus datos siguen como estaban.
privacy-nothing = Steady no guarda nada sobre ti, así que no hay nada que borrar.
privacy-partner_notice = Tu conexión en Steady terminó. Tus propias respuestas siguen siendo tuyas: /export te las muestra. Trátate con cariño. Puedes usar /pair de nuevo cuando quieras.

## checkin
checkin-prompt =
    <b>Check-in</b>
    { $prompt }

    <i>Responde con un mensaje cuando quieras. { $partner } no lo verá hasta que estén ambas respuestas.</i>
checkin-already_open =
    Ya hay un check-in abierto:
    <i>{ $prompt }</i>

    Envía tu respuesta como mensaje cuando quieras.
checkin-already_answered = Ya hay un check-in abierto y tu respuesta está guardada. Les mostraré ambas respuestas cuando { $partner } también haya respondido.
checkin-not_paired = Los check-ins son cosa de dos. Envía /pair para invitar primero a tu pareja.
checkin-saved = Gracias. Tu respuesta a <i>{ $question }</i> queda en privado hasta que { $partner } también responda.
checkin-replaced = Actualizado: esto reemplaza tu respuesta anterior a <i>{ $question }</i>. Queda en privado hasta que { $partner } también responda.
checkin-move_button = Es para: { $question }
checkin-joined = También recibí la siguiente parte: la añadí a tu respuesta.
checkin-on_its_way = Tu próximo check-in ya está en camino y te llegará a la hora de siempre. Respóndelo cuando llegue.
checkin-partner_waiting = { $partner } respondió el check-in. Su respuesta aparecerá cuando añadas la tuya, sin prisa.
checkin-reveal_title =
    <b>Ya están ambas respuestas.</b>
    <i>{ $prompt }</i>
checkin-answer_label = <b>{ $name }</b>
checkin-empty = Ese mensaje parece vacío. Escribe unas palabras cuando quieras.
checkin-closed_reply = Ese check-in ya se cerró, así que esto no se añadió. Habrá otro.
checkin-media = Por ahora solo puedo guardar respuestas de texto. ¿Podrías escribir tu respuesta en un mensaje?
checkin-forwarded = Parece un mensaje reenviado, así que no lo guardé como respuesta: un check-in es para tus propias palabras. ¿Podrías escribirlo en un mensaje tuyo?
checkin-no_round = Ahora mismo no hay ningún check-in abierto. Envía /checkin para empezar uno, o /help para ver más.
checkin-closed = Este check-in se cerró antes de que estuvieran ambas respuestas, así que las respuestas se borraron sin leerse. No pasa nada. Habrá otro.
checkin-reminder =
    Un recordatorio amable: este check-in sigue abierto unas horas más.
    <i>{ $prompt }</i>

    Responde cuando quieras, o deja pasar este.

## options
options-current =
    { $summary }
    { $keep }
    { $phone }

    Para cambiarlo:
    <code>/options ventana 12</code> – horas que un check-in queda abierto (de { $min } a { $max })
    <code>/options recordatorio 3</code> – horas antes del cierre para un recordatorio amable
    <code>/options recordatorio no</code> – sin recordatorio
    <code>/options guardar 90</code> – guardar las respuestas reveladas 30, 90 o 365 días, o <code>siempre</code>
    <code>/options discreto sí</code> – para un teléfono compartido: sin palabras privadas en un mensaje que suena
    <code>/options silencio 22:00-08:00</code> – horas de silencio, o <code>no</code>
options-summary = Los check-ins quedan abiertos { $window }, con un recordatorio amable { $reminder } antes de cerrarse.
options-summary_no_reminder = Los check-ins quedan abiertos { $window }, sin recordatorio.
options-saved = Listo. { $summary } Se aplica desde el próximo check-in.
options-invalid = No pude usar eso. Un check-in queda abierto de { $min } a { $max }, y el recordatorio llega al menos una hora después de abrirse. Por ejemplo: <code>/options ventana 24</code> o <code>/options recordatorio no</code>
options-partner_changed = { $partner } cambió las opciones de sus check-ins. { $summary } Se aplica desde el próximo check-in.
options-keep_days = Tus respuestas reveladas se guardan { $days } y luego se borran.
options-keep_forever = Tus respuestas reveladas se guardan hasta que las borres.
options-keep_saved = Listo. { $keep } Si tu pareja eligió un plazo más corto, se aplica el suyo a ustedes dos.
options-keep_invalid = Puedes guardar las respuestas reveladas 30, 90 o 365 días, o siempre. Por ejemplo: <code>/options guardar 90</code> o <code>/options guardar siempre</code>
options-partner_keep = { $partner } cambió cuánto tiempo se guardan las respuestas reveladas: { $keep } Se aplica a ustedes dos el más corto de los dos plazos.
options-discreet_on = El modo discreto está activado: el mensaje que hace sonar tu teléfono solo dice que hay algo esperando, y los mensajes con palabras privadas llegan en silencio.
options-discreet_off = El modo discreto está desactivado.
options-quiet = Horas de silencio: de { $from } a { $until } en tu zona horaria. En ese tiempo los mensajes llegan sin sonido.
options-quiet_off = Sin horas de silencio: los mensajes llegan con sonido a cualquier hora.
options-phone_invalid = No pude usar eso. Por ejemplo: <code>/options discreto sí</code>, <code>/options silencio 22:00-07:30</code> o <code>/options silencio no</code>
options-phone_saved = Listo. { $setting }
delivery-neutral = Tienes algo nuevo esperándote en Steady.

## schedule
schedule-offer = ¿Te gustaría un check-in cada día a las 20:00? Cada quien lo recibe a las 20:00 en su propia zona horaria. Puedes cambiarlo cuando quieras con /schedule.
schedule-accept_default = Sí, cada día a las 20:00
schedule-choose = Elegir días y hora
schedule-every_day = cada día a las { $time }
schedule-weekdays = de lunes a viernes a las { $time }
schedule-on_days = los días { $days } a las { $time }
schedule-off_summary = desactivados
schedule-current =
    Los check-ins llegan { $summary }, en la zona horaria de cada quien (la tuya: { $zone }).
    { $next }
    Elige días y hora abajo, o envía por ejemplo <code>/schedule lun mié vie 20:30</code>, <code>/schedule diario 21:00</code> o <code>/schedule no</code>.
schedule-none = Aún no hay horario de check-ins. Elige días y hora abajo, o envía por ejemplo <code>/schedule diario 20:00</code>.
schedule-next = El próximo: { $when }.
schedule-next_none = No hay ningún check-in próximo.
schedule-paused_note = Los check-ins están en pausa { $until }.
schedule-saved = Listo: ahora los check-ins llegan { $summary }. El próximo: { $when }.
schedule-saved_off = Listo: los check-ins programados están desactivados. /checkin sigue funcionando cuando quieras.
schedule-partner_changed = { $partner } cambió el horario de sus check-ins: { $summary }, en tu propia zona horaria.
schedule-invalid = No pude leer eso. Prueba por ejemplo <code>/schedule diario 21:00</code>, <code>/schedule lun mié vie 20:30</code>, <code>/schedule laborables 20:00</code> o <code>/schedule no</code>.
schedule-pick_days = Toca los días que quieras y luego una hora (en la zona horaria de cada quien):
schedule-other_time = Envía los días y la hora que quieras, por ejemplo <code>/schedule lunes jueves 21:15</code>.
schedule-other = Otra hora
schedule-off_button = Desactivar
schedule-already_set = Tu horario ya está configurado. /schedule lo muestra.

## timezone
timezone-ask = Una cosita: ¿en qué zona horaria estás? Los check-ins llegan a la hora elegida en tu propia zona. Envía por ejemplo <code>/timezone Europe/Madrid</code>, <code>/timezone Mexico City</code> o <code>/timezone UTC-5</code>, o toca /timezone para ver las más comunes.
timezone-current = Tu zona horaria es { $zone } (allí son las { $now }). Para cambiarla, toca una abajo o envía por ejemplo <code>/timezone America/Bogota</code>, una ciudad o <code>/timezone UTC-5</code>.
timezone-unset = Todavía no conozco tu zona horaria, así que uso { $zone }. Toca una abajo o envía por ejemplo <code>/timezone Europe/Madrid</code>, una ciudad como <code>/timezone Lima</code> o una diferencia como <code>/timezone UTC-5</code>.
timezone-saved = Entendido: tu zona horaria es { $zone } (allí son las { $now }).
timezone-invalid = No conozco esa zona horaria. Prueba un nombre como <code>Europe/Madrid</code> o <code>America/Mexico_City</code>, una ciudad como <code>London</code> o <code>Tokyo</code>, o una diferencia como <code>UTC-5</code>.

## pause
pause-paused = Los check-ins están en pausa { $until }. Tómate el tiempo que necesites. /resume los reanuda.
pause-until_resumed = hasta que los reanudes
pause-until_date = hasta el { $date }
pause-resumed = Los check-ins vuelven. El próximo: { $when }.
pause-skipping = Se saltará el próximo check-in. El siguiente llega como siempre.
pause-not_paused = Los check-ins no están en pausa ahora mismo.
pause-no_schedule = No hay un horario de check-ins que pausar. /schedule crea uno.
pause-invalid = No pude leer esa fecha. Envía <code>/pause</code> para pausar hasta que los reanudes, o por ejemplo <code>/pause 2026-12-24</code> o <code>/pause 3 días</code>.
pause-partner_paused = { $partner } pausó sus check-ins por ahora. /schedule muestra los detalles.
pause-partner_resumed = { $partner } reanudó sus check-ins.
pause-partner_skipped = { $partner } decidió saltar el próximo check-in. El siguiente llega como siempre.

## reach
reach-partner_unreachable = Steady no puede llegar a { $partner } ahora mismo; quizá pausó o bloqueó el bot. Lo que es para esa persona espera hasta { $days } a que vuelva, y sus check-ins revelados siguen en /history. No necesitas hacer nada.
reach-expired_while_away = Qué bueno verte de nuevo. Mientras no estabas, algunos mensajes de Steady esperaron más de { $days } y se dejaron ir. Todos los check-ins revelados siguen en /history: ninguna respuesta compartida se perdió.

## repair
repair-not_paired = Después de un momento difícil, Steady les ayuda a tomar un descanso de verdad y a encontrar el camino de vuelta. Funciona cuando tienes una conexión: envía /pair para invitar a tu pareja.
repair-choose = Suena difícil. Un descanso de verdad ayuda: al menos { $min }, para que el cuerpo se calme. ¿Cuánto tiempo necesitas? Le diré a tu pareja, con cuidado, cuándo vuelves.
repair-length_20m = 20 minutos
repair-length_1h = 1 hora
repair-length_3h = 3 horas
repair-length_morning = Mañana por la mañana
repair-started =
    Tu descanso dura hasta las { $time }. Se lo hice saber a tu pareja, sin ninguna culpa.

    Por ahora, intenta calmarte en vez de repasar la discusión: respira despacio, da un paseo corto, bebe agua, pon música que te guste. Está bien sentir lo que sientes.
repair-replaced = Cambié tu descanso: ahora dura hasta las { $time } (un descanso dura como máximo { $max }). Tu pareja lo sabe.
repair-partner_break = { $partner } necesita una pausa después de un momento difícil y volverá hacia las { $time }. Ahora no necesitas hacer nada; una pausa puede ayudarles a ustedes dos. Mientras tanto, trátate con cariño.
repair-partner_updated = { $partner } necesita un poco más y volverá hacia las { $time }.
repair-partner_more_time = { $partner } necesita un poco más de tiempo. Les escribiré a ustedes dos hacia las { $time }.
repair-nudge =
    El descanso terminó. Cuando lo sientas, aquí tienes algunas formas amables de volver a { $partner }: toca una para enviarla.

    Y, en privado: ¿tienes ganas de hablar? Solo se lo diré a ustedes dos cuando ambas partes las tengan.
repair-phrase_0 = Ya me siento más en calma.
repair-phrase_1 = Necesito calmarme un poco más.
repair-phrase_2 = Lo siento.
repair-phrase_3 = Busquemos un sí en equipo.
repair-phrase_4 = Te valoro.
repair-phrase_received = { $partner } te envía: <i>{ $phrase }</i>
repair-phrase_sent = Enviado.
repair-ready_button = Tengo ganas de hablar
repair-more_button = Necesito un poco más de tiempo
repair-ready_ack = Gracias. Les avisaré a ustedes dos cuando ambas partes quieran hablar.
repair-both_ready =
    <b>Ustedes dos quieren hablar.</b>
    Con calma: por turnos, escuchando primero, y hablando de ti («yo siento…») más que del otro. Si vuelve a calentarse, está bien tomar otro descanso con /conflict.
repair-more_ack = Claro. Tómate el tiempo que necesites; volveré a escribirte hacia las { $time }.
repair-at_limit = Este descanso llegó a su máximo de { $max }. Cuando puedan, una charla corta y amable suele ayudar, aunque sea solo para acordar cuándo hablar con calma.
repair-care = Esta semana hubo varios momentos difíciles. Pasa, y hace falta valor para volver una y otra vez el uno al otro. Una terapia de pareja puede ayudar justo con esto: { $help }
repair-care_default_help = tu médico o un servicio de orientación de tu zona puede recomendarte a alguien.

## guided
guided-offer_button = Empezar una conversación guiada
guided-prompt =
    <b>Conversación guiada, paso { $step } de { $total }</b>
    { $question }

    <i>Responde en privado con un mensaje. { $partner } lo verá solo cuando estén ambas respuestas. Puedes parar en cualquier paso.</i>
guided-stop_button = Parar aquí
guided-step_1 = ¿Qué sentiste? Por ahora solo sentimientos, sin «por qué»: dolor, miedo, soledad, enojo, tristeza…
guided-step_2 = ¿Qué viste que pasó? Y una parte de la mirada de tu pareja que tenga sentido para ti.
guided-step_3 = ¿Qué tocó esto en ti de antes: una herida vieja, un miedo, algo de tu pasado?
guided-step_4 = ¿Qué parte de lo que pasó es tuya? Si encaja, una disculpa por tu parte.
guided-step_5 = ¿Qué harás diferente la próxima vez?
guided-partner_waiting = { $partner } respondió este paso. Su respuesta aparecerá cuando añadas la tuya, sin prisa.
guided-done = Recorrieron en equipo los cinco pasos. Eso es trabajo de reparación de verdad. Trátense con cariño ahora.
guided-stopped = { $partner } detuvo la conversación guiada aquí. Está bien: pueden hablar a su manera o volver a ella después de otro descanso.
guided-stopped_me = Detenida. Las respuestas de este paso se borraron sin leerse. Pueden hablar a su manera cuando quieran.
guided-started = Aquí está el primer paso.
guided-already = Su conversación guiada ya empezó.
guided-closed = Este paso se cerró antes de que estuvieran ambas respuestas, así que sus respuestas se borraron sin leerse. Pueden hablar a su manera cuando quieran.

## history
history-entry_title = <i>{ $prompt }</i>
history-empty = Aún no hay nada aquí. Los check-ins aparecen cuando están ambas respuestas.
history-more = Ver anteriores
history-removed_partner = La otra persona de la pareja
history-removed_answer = (borrado a petición de quien lo escribió)

## fallback
fallback-unknown_command = No conozco ese comando. Envía /help para ver lo que puedo hacer.
fallback-edited_command = Sigo cada comando tal como se envió la primera vez, así que editarlo no cambia nada. Si quieres cambiar algo, /help te dice cómo.
fallback-forwarded_command = Ese comando parece reenviado, así que no lo ejecuté: pueden ser palabras de otra persona. Si es lo que quieres, envíalo tú.
fallback-unexpected_text = Ahora mismo no espero ningún mensaje. Envía /help para ver lo que puedo hacer.
fallback-unexpected_media = Por ahora solo puedo trabajar con texto. Envía /help para ver lo que puedo hacer.
fallback-stale_button = Este botón ya no está activo.
fallback-group = Solo funciono en chats privados, para que lo que compartes quede entre tu pareja y tú. Escríbeme directamente: { $link }
fallback-group_button = Mis botones solo funcionan en nuestro chat privado, para que lo que compartes quede entre ustedes dos.

## errors
errors-generic = Lo siento, algo falló de mi lado. No se perdió nada de lo que enviaste. Vuelve a intentarlo en un momento.

## language
language-name = Español
language-current = Steady te habla en { $name }. Elige otro idioma abajo: cada quien lee Steady en su propio idioma.
language-saved = Listo: Steady te habla ahora en { $name }.
language-auto = Como mi app de Telegram
language-saved_auto = Listo: Steady sigue el idioma de tu app de Telegram ({ $name }).

## stats
stats-text =
    <b>Steady de un vistazo</b>
    Parejas vinculadas: { $couples }
    Parejas activas esta semana: { $active }
    Mensajes esperando envío: { $queued }
    Mensajes que no se pudieron entregar: { $undeliverable }
    Último ciclo del planificador: { $last_tick }
    Tamaño de la base de datos: { $size }
stats-last_tick_ago = hace { $seconds } s
stats-last_tick_never = todavía no
stats-size_mb = { $mb } MB
stats-size_unknown = desconocido
