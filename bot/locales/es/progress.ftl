## progress (/progress, the weekly summary, the weekly opt-ins)
commands-progress = Vuestras últimas semanas en una imagen
units-weeks =
    { $count ->
     [one] { $count } semana
    *[other] { $count } semanas
    }
formats-week = d MMM
progress-not_paired = /progress muestra vuestras semanas juntos. Funciona cuando estáis emparejados: envía /pair para invitar a tu pareja.
progress-chart_title = Vuestras últimas { $weeks } juntos
progress-chart_empty = Un tramo tranquilo por ahora. Cada semana es un nuevo comienzo.
progress-rating_axis = Sentirse seguro (1–5)
progress-series_checkins = Preguntas que respondisteis los dos
progress-series_conflicts = Pausas tras un momento difícil
progress-series_repairs = De nuevo juntos, los dos listos
progress-series_safety = Cuán seguro se sintió { $person }
progress-summary_empty = Aún no hay nada que mostrar de vuestras últimas { $weeks }, y está bien: las semanas tranquilas también son parte del camino. Cada pregunta que respondáis los dos aparecerá aquí.
progress-summary_title = Vuestras últimas { $weeks }, en palabras:
progress-summary_count = • { $name }: { $count }
progress-summary_rating = • { $name }: { $rated ->
        [one] valorado en { $rated } semana
       *[other] valorado en { $rated } semanas
    }, la última vez { $latest } de 5
progress-summary_close = Sanar no es una línea recta. Cada semana que os presentáis el uno para el otro cuenta.
progress-weekly_caption = Vuestra semana con Steady.
    { $summary }
progress-invite_weekly = A { $partner } le gustaría recibir los domingos por la tarde una imagen de vuestro progreso juntos. Si a ti también, envía /options weekly on. Solo llega cuando los dos lo queréis.
progress-invite_rating = A { $partner } le gustaría una breve pregunta semanal: cuán seguros os habéis sentido el uno con el otro. Las respuestas son privadas hasta que respondáis los dos. Si a ti también, envía /options rating on.
progress-weekly_on = Resumen semanal: activado. Llega los domingos por la tarde mientras los dos lo queráis.
progress-weekly_waiting = Resumen semanal: activado para ti. Empezará cuando tu pareja también lo active; se lo he contado.
progress-weekly_off = Resumen semanal: desactivado.
progress-rating_on = Pregunta semanal de seguridad: activada. Llega en vuestro día de pregunta mientras los dos lo queráis.
progress-rating_waiting = Pregunta semanal de seguridad: activada para ti. Empezará cuando tu pareja también la active; se lo he contado.
progress-rating_off = Pregunta semanal de seguridad: desactivada.
progress-choice_invalid = Envía /options weekly on o /options weekly off (o lo mismo con rating). /options rating dom elige el día de la pregunta de seguridad.
progress-options_line = Resumen semanal (/options weekly on|off): { $weekly }. Pregunta semanal de seguridad (/options rating on|off): { $rating }.
progress-on = activado
progress-off = desactivado
ratings-question = ¿Cuán seguros os habéis sentido el uno con el otro esta semana? De 1 (nada seguro) a 5 (completamente seguro). Tu respuesta es privada hasta que respondáis los dos.
ratings-option-1 = 1
ratings-option-2 = 2
ratings-option-3 = 3
ratings-option-4 = 4
ratings-option-5 = 5
ratings-day_changed = { $partner } ha movido la pregunta semanal de seguridad al { $day }.
ratings-day_saved = La pregunta semanal de seguridad llega ahora el { $day }.
progress-series_promises_kept = Promesas cumplidas, según { $person }
