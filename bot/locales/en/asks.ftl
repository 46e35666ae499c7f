# Double-blind asks beyond check-ins (bot/asks.py): a promise's outcome, a review, a rating.
asks-prompt_choose =
    <b>{ $question }</b>

    <i>Only you see your answer until { $partner } has answered too.</i>
asks-prompt_words =
    <b>{ $question }</b>

    <i>Write your answer here. It stays private until { $partner } has answered too.</i>
asks-chosen = <b>{ $name }</b>: { $choice }
asks-saved = Thank you. Your answer stays private until you have both answered. If you like, add a few words in a message.
asks-changed = Changed. It still stays private until you have both answered.
# A word for an ask with options, typed before choosing one: kept, but the choice answers.
asks-word_kept = I've kept these words for <i>{ $question }</i>. To answer it, choose one of the options under the question. Both stay private until you have both answered.
asks-partner_answered = { $partner } has answered. Their answer will show once you've answered too, whenever you're ready.
asks-a_question = A question you both answered
# An ask that could expire (closes_at) closed before both answered.
asks-closed = This question closed before you both answered, so any answer was deleted unread: <i>{ $question }</i>. That's okay.
# A reply quoting an ask's question once it was revealed, stopped or closed.
asks-closed_reply = That question is no longer open, so this wasn't added to it.
