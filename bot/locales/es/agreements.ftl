## agreements: boundaries and expectations you both accepted, in the same words

commands-agree = Proponer un acuerdo
commands-agreements = Vuestros acuerdos

agreement-usage = Escribe el acuerdo después del comando, con tus palabras: <code>/agree Nos avisamos cuando cambian los planes</code>. Cuenta cuando tu pareja lo acepta.
agreement-not_paired = Los acuerdos se hacen entre dos: envía /pair para invitar a tu pareja primero.
agreement-too_long = Es largo para un acuerdo (como máximo { $most } caracteres). Una o dos frases son más fáciles de vivir.
agreement-unknown = No conozco ese acuerdo, o ya no está abierto. /agreements muestra los vuestros con sus números.
agreement-proposed = Enviado a { $partner }: «{ $text }». Cuenta cuando acepte estas palabras.
agreement-partner_proposed = { $partner } propone un acuerdo (#{ $number }): «{ $text }». Solo cuenta cuando lo aceptes. También puedes proponer otras palabras o declinar: las dos cosas están bien.
agreement-partner_changed = { $partner } propone otras palabras para el acuerdo #{ $number }: «{ $text }». Cuenta cuando aceptes estas palabras.
agreement-partner_revised = { $partner } propone palabras nuevas para el acuerdo #{ $number }: «{ $text }». Hasta que las aceptes, el acuerdo sigue como está.
agreement-accept_button = Aceptar
agreement-change_button = Proponer otras palabras
agreement-decline_button = Declinar con cariño
agreement-accepted = Aceptado: «{ $text }» es ahora un acuerdo entre { $partner } y tú.
agreement-accepted_proposer = { $partner } ha aceptado: «{ $text }» es ahora uno de vuestros acuerdos.
agreement-declined = Declinado. { $partner } lo sabrá con cariño. No hace falta estar de acuerdo en todo.
agreement-declined_proposer = { $partner } prefiere no acordar «{ $text }» tal como está. No pasa nada; quizá podéis hablar de qué os iría bien a los dos.
agreement-how_to_change = Envía tus palabras así: <code>/agree #{ $number } tus palabras</code>. Luego tu pareja decide si las acepta.
agreement-how_to_revise = Envía las palabras nuevas así: <code>/agree #{ $number } palabras nuevas</code>. Hasta que tu pareja las acepte, el acuerdo sigue como está.
agreement-retire_asked = Has pedido retirar «{ $text }». Sigue activo hasta que { $partner } lo confirme.
agreement-partner_retire = { $partner } quiere retirar el acuerdo «{ $text }». Sigue activo hasta que lo confirmes.
agreement-retire_yes = Retirarlo
agreement-retire_no = Mantenerlo por ahora
agreement-retired = Retirado: «{ $text }». Queda en vuestra historia.
agreement-retired_asker = { $partner } lo ha confirmado: «{ $text }» está retirado. Queda en vuestra historia.
agreement-kept = Has mantenido «{ $text }» por ahora. Quizá podéis hablar con calma, { $partner } y tú, de lo que no funciona.
agreement-kept_asker = { $partner } prefiere mantener «{ $text }» por ahora. Quizá podéis hablar de lo que no te funciona.
agreement-none = Aún no hay acuerdos. Propón uno con tus palabras: <code>/agree …</code>
agreement-list_title = <b>Vuestros acuerdos</b>
agreement-line_active = #{ $number } «{ $text }» (desde { $since })
agreement-line_changed = { $count ->
    [one] (cambiado una vez)
   *[other] (cambiado { $count } veces)
}
agreement-line_revision = palabras nuevas esperando: «{ $text }»
agreement-line_retiring = se pidió retirarlo; activo hasta que los dos lo confirméis
agreement-line_proposed = #{ $number } «{ $text }»: espera tu respuesta
agreement-line_proposed_mine = #{ $number } «{ $text }»: espera la respuesta de tu pareja
agreement-revise_short = Revisar: { $text }
agreement-retire_short = Retirar: { $text }

# The monthly review (bot.asks): on when both opt in with /options review on.
review-ask = ¿Este acuerdo sigue funcionando para ti? «{ $text }»
review-option-working = Funciona
review-option-adjust = Necesita un ajuste
review-option-talk = Hay que hablarlo
review-talk = Uno de vosotros siente que hay que hablar de «{ $text }». Sin culpas: los acuerdos están para crecer con vosotros. Buscad un momento tranquilo juntos, o empezad con /checkin.
review-on_waiting = La revisión mensual de acuerdos está activada para ti. Empezará cuando { $partner } también la active.
review-on_both = Los dos tenéis activada la revisión mensual de acuerdos: una vez al mes os preguntaré en privado si cada acuerdo sigue funcionando, y os mostraré las dos respuestas juntas.
review-off = La revisión mensual de acuerdos está desactivada.
review-partner_on = A { $partner } le gustaría mirar con calma vuestros acuerdos una vez al mes. Si a ti también: <code>/options review on</code>
review-partner_off = { $partner } ha desactivado la revisión mensual de acuerdos.
review-invalid = Escribe <code>/options review on</code> o <code>/options review off</code>.
review-option_line = <code>/options review on</code> – una mirada mensual y tranquila a vuestros acuerdos, cuando los dos la activéis (ahora: { $state })
review-state_on = activada
review-state_off = desactivada
