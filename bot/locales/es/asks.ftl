# Preguntas a ciegas además de los check-ins (bot/asks.py): el resultado de una promesa, una revisión, una valoración.
asks-prompt_choose =
    <b>{ $question }</b>

    <i>Solo tú ves tu respuesta hasta que { $partner } también responda.</i>
asks-prompt_words =
    <b>{ $question }</b>

    <i>Escribe tu respuesta aquí. Será privada hasta que { $partner } también responda.</i>
asks-chosen = <b>{ $name }</b>: { $choice }
asks-saved = Gracias. Tu respuesta será privada hasta que ambos respondan. Si quieres, añade unas palabras en un mensaje.
asks-changed = Cambiado. Sigue siendo privado hasta que ambos respondan.
asks-word_kept = Guardé estas palabras para <i>{ $question }</i>. Para responder, elige una de las opciones debajo de la pregunta. Todo sigue siendo privado hasta que ambos respondan.
asks-partner_answered = { $partner } ya respondió. Su respuesta aparecerá cuando respondas tú también, sin prisa.
asks-a_question = Una pregunta que ambos respondieron
asks-closed = Esta pregunta se cerró antes de que estuvieran ambas respuestas, así que las respuestas se borraron sin leerse: <i>{ $question }</i>. No pasa nada.
asks-closed_reply = Esa pregunta ya no está abierta, así que esto no se añadió.
