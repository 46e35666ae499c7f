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
asks-partner_answered = { $partner } has answered. Their answer will show once you've answered too, whenever you're ready.
asks-a_question = A question you both answered
