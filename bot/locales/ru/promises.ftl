## promises: a small promise with a due moment, and how it went, seen by both

commands-promise = Дать небольшое обещание
commands-promises = Ваши обещания
help-promises =
    <b>Обещания и договорённости</b>
    /promise – небольшое обещание своими словами и со сроком; в этот момент вы оба отдельно ответите, как всё прошло
    /promises – открытые обещания и как прошли недавние
    /agree – предложить договорённость; она действует, когда вы оба приняли одни и те же слова
    /agreements – ваши договорённости: изменить или завершить их вместе

promise-usage = Напишите обещание после команды, своими словами: <code>/promise Напишу тебе, если буду задерживаться на этой неделе</code>. Потом выберите, когда оглянуться на него.
promise-not_paired = Обещания даются партнёру: сначала отправьте /pair, чтобы пригласить его.
promise-too_long = Для небольшого обещания это многовато (не больше { $most } символов). Небольшое и конкретное легче сдержать.
promise-no_draft = Нет обещания, которое ждёт срока. Сначала напишите его: <code>/promise …</code>
promise-bad_time = Не получилось понять это как момент в будущем (в пределах года). Попробуйте <code>/promise когда вс 20:00</code> или <code>/promise когда 2026-12-24 18:00</code>.
promise-when = Когда вместе оглянемся на него?
promise-due_tonight = Сегодня вечером, { $when }
promise-due_tomorrow = Завтра, { $when }
promise-due_sunday = В воскресенье, { $when }
promise-due_week = Через неделю, { $when }
promise-due_other = Другое время…
promise-type_when = Отправьте момент так, по вашему времени: <code>/promise когда вс 20:00</code>, <code>/promise когда 21:30</code> или <code>/promise когда 2026-12-24 18:00</code>.
promise-set = Обещание дано. { $when } я спрошу вас обоих, каждого отдельно, как всё прошло. Партнёру я сообщил.
promise-set_weekly = Обещание дано, каждую неделю. Первый раз оглянемся { $when }; я спрошу вас обоих отдельно, как всё прошло.
promise-weekly_on = Каждую неделю
promise-weekly_off = Только в этот раз
promise-withdraw_button = Отозвать
promise-partner_told = { $partner } даёт вам обещание: «{ $text }». { $due } я спрошу вас обоих, каждого отдельно, как всё прошло.
promise-ack_button = 🤍 Я увидел(а)
promise-acknowledged = { $partner } видит ваше обещание «{ $text }» 🤍
promise-ack_thanks = Спасибо. Партнёр узнает, что вы его увидели.
promise-withdrawn = Обещание отозвано. Это нормально: обещание, которое можно сдержать, ценнее того, что давит.
promise-partner_withdrawn = { $partner } отзывает обещание «{ $text }». Спрашивать о нём не буду.
promise-none = Обещаний пока нет. Небольшое сдержанное обещание говорит о многом: <code>/promise …</code>
promise-open_title = <b>Открытые обещания</b>
promise-recent_title = <b>Недавние</b>
promise-line_draft = • { $name }: «{ $text }» (срок ещё не выбран)
promise-line_open = • { $name }: «{ $text }», срок { $when }
promise-line_asked = • { $name }: «{ $text }», срок { $when }; ждём, пока вы оба оглянетесь
promise-line_weekly = (каждую неделю)
promise-line_seen = 🤍
promise-line_done = • { $name }: «{ $text }»: { $outcomes }
promise-outcome_by = { $name }: { $outcome }
promise-outcome_kept = сдержано
promise-outcome_partly = отчасти
promise-outcome_not = не в этот раз
promise-withdraw_short = Отозвать: { $text }
promise-renew_short = Снова на неделю: { $text }

# The outcome ask (bot.asks): the question, and its three choices.
promise-ask = Обещание от { $partner }: «{ $text }». Как ты чувствуешь, оно выполнено?
promise-ask_mine = Как получилось с твоим обещанием: «{ $text }»?
promise-ask_removed = Оглянемся на обещание, слова которого больше не хранятся. Как всё прошло, как ты это видишь?
promise-option-kept = Сдержано
promise-option-partly = Отчасти
promise-option-not = Не в этот раз
promise-not_this_time = «Не в этот раз» — это нормально. Обещания — это практика, а не экзамен, и доверие возвращается шаг за шагом. Хотите поговорить об этом вместе? Спокойная минута или /checkin могут стать мягким началом.
promise-renew_offer = Хотите снова пообещать «{ $text }»?
promise-renew_button = Снова через неделю
