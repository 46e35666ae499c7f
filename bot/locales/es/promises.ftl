## promises: a small promise with a due moment, and how it went, seen by both

commands-promise = Hacer una pequeña promesa
commands-promises = Vuestras promesas
help-promises =
    <b>Promesas y acuerdos</b>
    /promise – una pequeña promesa con tus palabras y un momento; entonces los dos decís en privado cómo fue
    /promises – promesas abiertas y cómo fueron las recientes
    /agree – proponer un acuerdo; cuenta cuando los dos aceptáis las mismas palabras
    /agreements – vuestros acuerdos, para revisarlos o retirarlos juntos

promise-usage = Escribe tu promesa después del comando, con tus palabras: <code>/promise Te escribiré si llego tarde esta semana</code>. Luego elige cuándo mirarla juntos.
promise-not_paired = Las promesas se hacen a una pareja: envía /pair para invitar a la tuya primero.
promise-too_long = Es mucho para una pequeña promesa (como máximo { $most } caracteres). Una pequeña y concreta es más fácil de cumplir.
promise-no_draft = No hay ninguna promesa esperando un momento. Escribe una primero: <code>/promise …</code>
promise-bad_time = No pude entenderlo como un momento futuro (dentro de un año). Prueba <code>/promise cuando dom 20:00</code> o <code>/promise cuando 2026-12-24 18:00</code>.
promise-when = ¿Cuándo la miramos juntos?
promise-due_tonight = Esta noche, { $when }
promise-due_tomorrow = Mañana, { $when }
promise-due_sunday = El domingo, { $when }
promise-due_week = En una semana, { $when }
promise-due_other = Otro momento…
promise-type_when = Envía el momento así, en tu zona horaria: <code>/promise cuando dom 20:00</code>, <code>/promise cuando 21:30</code> o <code>/promise cuando 2026-12-24 18:00</code>.
promise-set = Tu promesa está hecha. El { $when } os preguntaré a los dos, en privado, cómo fue. Tu pareja ya lo sabe.
promise-set_weekly = Tu promesa está hecha, cada semana. La primera vez la miramos el { $when }; os preguntaré a los dos en privado cómo fue.
promise-weekly_on = Cada semana
promise-weekly_off = Solo esta vez
promise-withdraw_button = Retirarla
promise-partner_told = { $partner } te ha hecho una promesa: «{ $text }». El { $due } os preguntaré a los dos, en privado, cómo fue.
promise-ack_button = 🤍 La he visto
promise-acknowledged = { $partner } ha visto tu promesa «{ $text }» 🤍
promise-ack_thanks = Gracias. Sabrá que la has visto.
promise-withdrawn = Tu promesa está retirada. No pasa nada: una promesa que puedes cumplir vale más que una que pesa.
promise-partner_withdrawn = { $partner } ha retirado la promesa «{ $text }». No se preguntará por ella.
promise-none = Aún no hay promesas. Una pequeña, cumplida, dice mucho: <code>/promise …</code>
promise-open_title = <b>Promesas abiertas</b>
promise-recent_title = <b>Recientes</b>
promise-line_draft = • { $name }: «{ $text }» (aún sin momento)
promise-line_open = • { $name }: «{ $text }», para el { $when }
promise-line_asked = • { $name }: «{ $text }», para el { $when }; esperando a que los dos miréis atrás
promise-line_weekly = (cada semana)
promise-line_seen = 🤍
promise-line_done = • { $name }: «{ $text }»: { $outcomes }
promise-outcome_by = { $name }: { $outcome }
promise-outcome_kept = cumplida
promise-outcome_partly = en parte
promise-outcome_not = esta vez no
promise-withdraw_short = Retirar: { $text }
promise-renew_short = Otra semana: { $text }

# The outcome ask (bot.asks): the question, and its three choices.
promise-ask = ¿Sentiste que { $partner } cumplió su promesa: «{ $text }»?
promise-ask_mine = ¿Cómo te fue con tu promesa: «{ $text }»?
promise-ask_removed = Miramos atrás a una promesa cuyas palabras ya no se guardan. ¿Cómo fue, según lo ves?
promise-option-kept = Cumplida
promise-option-partly = En parte
promise-option-not = Esta vez no
promise-not_this_time = «Esta vez no» está bien. Las promesas son práctica, no un examen, y la confianza vuelve paso a paso. ¿Os gustaría hablarlo juntos? Un momento tranquilo, o /checkin, puede ser un buen comienzo.
promise-renew_offer = ¿Quieres volver a prometer «{ $text }»?
promise-renew_button = Otra vez la próxima semana
