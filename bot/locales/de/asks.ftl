# Verdeckte Fragen neben den Check-ins (bot/asks.py): wie ein Versprechen lief, ein Rückblick, eine Einschätzung.
asks-prompt_choose =
    <b>{ $question }</b>

    <i>Deine Antwort siehst nur du, bis auch { $partner } geantwortet hat.</i>
asks-prompt_words =
    <b>{ $question }</b>

    <i>Schreib deine Antwort hier. Sie bleibt privat, bis auch { $partner } geantwortet hat.</i>
asks-chosen = <b>{ $name }</b>: { $choice }
asks-saved = Danke. Deine Antwort bleibt privat, bis ihr beide geantwortet habt. Wenn du magst, schreib noch ein paar Worte dazu.
asks-changed = Geändert. Es bleibt privat, bis ihr beide geantwortet habt.
asks-word_kept = Ich habe diese Worte zu <i>{ $question }</i> aufbewahrt. Um zu antworten, wähle eine der Optionen unter der Frage. Beides bleibt privat, bis ihr beide geantwortet habt.
asks-partner_answered = { $partner } hat geantwortet. Die Antwort zeigt sich, sobald du auch geantwortet hast, ganz ohne Eile.
asks-a_question = Eine Frage, die ihr beide beantwortet habt
asks-closed = Diese Frage hat sich geschlossen, bevor ihr beide geantwortet habt, deshalb wurden die Antworten ungelesen gelöscht: <i>{ $question }</i>. Das ist in Ordnung.
asks-closed_reply = Diese Frage ist nicht mehr offen, deshalb wurde das nicht hinzugefügt.
