### Steady's English texts (Fluent). Code looks a text up by key ("start.welcome" is message
### start-welcome); bot/texts.py HTML-escapes every variable. Tone: warm, brief, never blaming,
### never pressuring. Every locale has the same messages with the same variables (a test checks).

## formats
# CLDR date patterns (Babel fills in this language's day and month names).
formats-when = EEE d MMM, HH:mm
formats-clock = HH:mm
formats-clock_day = HH:mm (EEE)
formats-date = d MMM y
formats-chosen_day = ✓ { $day }

## units
# A count with its unit, chosen by plural form; texts holding a count embed one of these.
units-minutes =
    { $count ->
     [one] { $count } minute
    *[other] { $count } minutes
    }
units-hours =
    { $count ->
     [one] { $count } hour
    *[other] { $count } hours
    }
units-days =
    { $count ->
     [one] { $count } day
    *[other] { $count } days
    }
units-answers =
    { $count ->
     [one] { $count } answer
    *[other] { $count } answers
    }
units-check_ins =
    { $count ->
     [one] { $count } check-in
    *[other] { $count } check-ins
    }
units-pairings =
    { $count ->
     [one] { $count } pairing
    *[other] { $count } pairings
    }

## commands
commands-start = Welcome and what Steady does
commands-pair = Invite your partner
commands-join = Join with your partner's code
commands-unpair = End the pairing
commands-language = Your language
commands-checkin = Start a check-in now
commands-history = Your revealed check-ins
commands-options = How long check-ins stay open
commands-schedule = When check-ins come
commands-timezone = Your time zone
commands-pause = Pause check-ins
commands-resume = Resume check-ins
commands-skip = Skip the next check-in
commands-conflict = We had a conflict: take a break
commands-help = What Steady can do
commands-export = A copy of your data
commands-delete = Erase your data

## start
start-welcome =
    Hi { $name }, I'm Steady.

    I help couples rebuild trust, one small honest step at a time: regular check-ins you both answer, and gentle support after a hard moment.

    Your answers stay private until <b>both</b> of you have replied. Then you both see both, once.

    Steady is a companion, not a substitute for a couples therapist.
start-next_unpaired = To begin, send /pair and forward the invite to your partner.
start-next_paired = You're paired with { $partner }. Send /help to see what you can do.

## help
help-text =
    <b>What Steady can do</b>
    /pair – create an invite for your partner
    /join CODE – join with your partner's invite code
    /checkin – start a check-in now
    /history – check-ins you have both answered
    /options – how long check-ins stay open, and reminders
    /schedule – the days and time check-ins come
    /timezone – your time zone (each of you has your own)
    /pause, /resume, /skip – take a break, or skip the next check-in
    /conflict – after a hard moment: a real break, then a gentle way back
    /progress – your last 12 weeks as a picture, and in words
    /report – a PDF summary for you or a therapist, made only if you both agree
    /unpair – end the pairing
    /export, /delete – a copy of your data, or erase it
    /language – the language Steady speaks with you
    /help – this list

    <b>How a check-in works</b>
    You both get the same question and answer it privately by sending me a message. Sending again replaces your answer. Neither of you sees the other's answer until you have both answered; then you both see both. An answer that is never matched is deleted unread.

    Steady is not therapy. If you want support, a couples therapist can help. { $crisis }
help-crisis_default = If anyone feels unsafe, please contact your local emergency services.
help-conflict_button = We had a conflict

## pairing
pairing-invite =
    Here is your invite. Forward this link to your partner:
    { $link }

    Or they can send me <code>/join { $code }</code>

    It works once and expires in 48 hours. A new /pair replaces it.
pairing-already_paired_pair = You're already paired with { $partner }. To start over, send /unpair first.
pairing-already_paired_join = You're already paired with { $partner }. To pair with someone else, send /unpair first.
pairing-join_usage = Please send the code your partner gave you, like this: <code>/join ABCDE-12345</code>
pairing-paired_joiner = You're now paired with { $partner }. Take it one step at a time together.
pairing-paired_inviter = { $partner } joined you. You're now paired on Steady. Take it one step at a time together.
pairing-not_a_code = That doesn't look like an invite code. Please send the code your partner gave you, like this: <code>/join ABCDE-12345</code>
pairing-wrong = I couldn't find that code. Please check it with your partner, or ask them for a fresh one with /pair.
pairing-expired = That invite has expired (they last 48 hours). Your partner can send /pair for a fresh one.
pairing-used = That invite can't be used any more. Your partner can send /pair for a fresh one.
pairing-replaced = That invite was replaced by a newer one. Please ask your partner for their latest code.
pairing-unpaired_partner = { $partner } has ended your pairing on Steady. Take care of yourself. You can /pair again whenever you're ready.
pairing-own_invite = That's your own invite. Forward it to your partner so they can join you.
pairing-too_many = To keep invites safe, I make at most { $limit } an hour. You can ask for a new one in { $wait }; until then, please share the latest one I sent you.
pairing-cool_off = That's a few codes that didn't work. Let's pause for 15 minutes, then try again with the code from your partner's latest /pair.

## unpair
unpair-not_paired = You're not paired right now. Send /pair to invite your partner.
unpair-confirm = Do you want to end your pairing with { $partner }? Check-ins stop for both of you.
unpair-yes = Yes, end it
unpair-no = Keep us paired
unpair-done = Your pairing with { $partner } has ended. Take care of yourself. You can /pair again whenever you're ready.
unpair-kept = Okay, nothing changed. You're still paired with { $partner }.

## privacy
privacy-export_summary =
    Here is everything Steady keeps about you: { $answers }, { $revealed } you both answered, and { $pairings }.

    The file is yours alone. Keep it somewhere safe: it holds what you wrote.
privacy-export_nothing = Steady keeps nothing about you yet.
privacy-delete_confirm =
    <b>Erase your data?</b>
    This ends your pairing, if you have one, and deletes everything Steady keeps about you: your answers (revealed or not), your invites, your settings and anything still waiting to be sent to you or about you. Your partner's own words stay theirs; they are told only that the pairing ended.

    What cannot be erased: messages already in your partner's Telegram chat, a PDF already sent, and older backups of the server.

    If you need time to be safe, you can ask Steady to wait 24 hours before telling your partner. Until then it sends them nothing, though they might notice the pairing has ended if they open Steady in the meantime. { $crisis }

    You can take a copy first with /export.
privacy-delete_now = Erase now
privacy-delete_later = Erase, tell them in 24 hours
privacy-delete_keep = Keep my data
privacy-deleted = Everything Steady kept about you is erased. Take good care of yourself. If you ever want to come back, send /start.
privacy-deleted_later = Everything Steady kept about you is erased. In 24 hours, Steady will tell your partner that the pairing has ended, and nothing more; if they open Steady before then, they might notice sooner. Take good care of yourself.
privacy-kept = Nothing was erased. Your data stays as it was.
privacy-nothing = Steady keeps nothing about you, so there is nothing to erase.
privacy-partner_notice = Your pairing on Steady has ended. Your own answers stay yours: /export shows them. Be gentle with yourself. You can /pair again whenever you are ready.

## checkin
checkin-prompt =
    <b>Check-in</b>
    { $prompt }

    <i>Answer with a message whenever you're ready. { $partner } won't see it until you've both answered.</i>
checkin-already_open =
    A check-in is already open:
    <i>{ $prompt }</i>

    Send your answer as a message whenever you're ready.
checkin-already_answered = A check-in is already open, and your answer is in. I'll show you both answers once { $partner } has answered too.
checkin-not_paired = Check-ins are for two. Send /pair to invite your partner first.
checkin-saved = Thank you. Your answer to <i>{ $question }</i> stays private until { $partner } has answered too.
checkin-replaced = Updated: this replaces your earlier answer to <i>{ $question }</i>. It stays private until { $partner } has answered too.
# A button under the acknowledgement when another question is open too (a check-in beside a
# guided step): tapping it files the answer under that question instead. Plain text.
checkin-move_button = It's for: { $question }
checkin-joined = Got the next part too: it's added to your answer.
checkin-on_its_way = Your next check-in is on its way and will reach you at your usual time. Answer it whenever it arrives.
checkin-partner_waiting = { $partner } has answered the check-in. Their answer will show once you've added yours, whenever you're ready.
checkin-reveal_title =
    <b>You both answered.</b>
    <i>{ $prompt }</i>
checkin-answer_label = <b>{ $name }</b>
checkin-empty = That message looks empty. Write a few words whenever you're ready.
checkin-closed_reply = That check-in has closed, so this wasn't added to it. There will be another one.
checkin-media = I can only keep text answers for now. Could you write your answer as a message?
checkin-forwarded = That looks forwarded, so I haven't kept it as your answer: a check-in is for your own words. Could you write it in a message of your own?
checkin-no_round = There's no open check-in right now. Send /checkin to start one, or /help to see more.
checkin-closed = This check-in closed before you both answered, so any answer was deleted unread. That's okay. There will be another one.
checkin-reminder =
    A gentle reminder: this check-in is open for a few more hours.
    <i>{ $prompt }</i>

    Answer whenever you're ready, or let this one pass.

## options
options-current =
    { $summary }
    { $keep }
    { $phone }

    To change it:
    <code>/options window 12</code> – hours a check-in stays open ({ $min } to { $max })
    <code>/options reminder 3</code> – hours before the close for a gentle reminder
    <code>/options reminder off</code> – no reminder
    <code>/options keep 90</code> – keep revealed answers 30, 90 or 365 days, or <code>forever</code>
    <code>/options discreet on</code> – for a shared phone: no private words in a message that makes a sound
    <code>/options quiet 22:00-08:00</code> – quiet hours, or <code>off</code>
options-summary = Check-ins stay open for { $window }, with a gentle reminder { $reminder } before they close.
options-summary_no_reminder = Check-ins stay open for { $window }, with no reminder.
options-saved = Done. { $summary } It applies from the next check-in.
options-invalid = I couldn't use that. A check-in stays open { $min } to { $max }, and a reminder comes at least an hour after it opens. For example: <code>/options window 24</code> or <code>/options reminder off</code>
options-partner_changed = { $partner } changed your check-in options. { $summary } It applies from the next check-in.
options-keep_days = Your revealed answers are kept for { $days }, then deleted.
options-keep_forever = Your revealed answers are kept until you delete them.
options-keep_saved = Done. { $keep } If your partner chose a shorter time, theirs applies to you both.
options-keep_invalid = You can keep revealed answers for 30, 90 or 365 days, or for good. For example: <code>/options keep 90</code> or <code>/options keep forever</code>
options-partner_keep = { $partner } changed how long revealed answers are kept: { $keep } The shorter of your two choices applies to you both.
options-discreet_on = Discreet mode is on: the message that makes your phone buzz only says that something is waiting, and messages with private words arrive silently.
options-discreet_off = Discreet mode is off.
options-quiet = Quiet hours: { $from } to { $until } in your time zone. Messages then arrive without a sound.
options-quiet_off = No quiet hours: messages arrive with a sound at any time.
options-phone_invalid = I couldn't use that. For example: <code>/options discreet on</code>, <code>/options quiet 22:00-07:30</code> or <code>/options quiet off</code>
options-phone_saved = Done. { $setting }
delivery-neutral = Something new is waiting for you in Steady.

## schedule
schedule-offer = Would you like a check-in every day at 20:00? Each of you gets it at 20:00 in your own time zone. You can change this any time with /schedule.
schedule-accept_default = Yes, every day at 20:00
schedule-choose = Choose days and time
schedule-every_day = every day at { $time }
schedule-weekdays = on weekdays at { $time }
schedule-on_days = on { $days } at { $time }
schedule-off_summary = off
schedule-current =
    Check-ins come { $summary }, in each partner's own time zone (yours: { $zone }).
    { $next }
    Choose days and a time below, or send for example <code>/schedule mon wed fri 8:30pm</code>, <code>/schedule daily 21:00</code> or <code>/schedule off</code>.
schedule-none = No check-in schedule yet. Choose days and a time below, or send for example <code>/schedule daily 20:00</code>.
schedule-next = Your next one: { $when }.
schedule-next_none = No check-in is coming up.
schedule-paused_note = Check-ins are paused { $until }.
schedule-saved = Done: check-ins now come { $summary }. Your next one: { $when }.
schedule-saved_off = Done: scheduled check-ins are off. /checkin still works whenever you like.
schedule-partner_changed = { $partner } changed your check-in schedule: { $summary }, in your own time zone.
schedule-invalid = I couldn't read that. Try for example <code>/schedule daily 21:00</code>, <code>/schedule mon wed fri 8:30pm</code>, <code>/schedule weekdays 20:00</code> or <code>/schedule off</code>.
schedule-pick_days = Tap the days you'd like, then a time (in each partner's own time zone):
schedule-other_time = Send the days and time you'd like, for example <code>/schedule mon thu 21:15</code>.
schedule-other = Other time
schedule-off_button = Turn off
schedule-already_set = Your schedule is already set. /schedule shows it.


## timezone
timezone-ask = One small thing: which time zone are you in? Check-ins come at the chosen time in your own zone. Send for example <code>/timezone Europe/Berlin</code>, <code>/timezone London</code> or <code>/timezone UTC+2</code>, or tap /timezone for common ones.
timezone-current = Your time zone is { $zone } (it's { $now } there now). To change it, tap one below or send for example <code>/timezone America/New_York</code>, a city, or <code>/timezone UTC-5</code>.
timezone-unset = I don't know your time zone yet, so I'm using { $zone }. Tap one below or send for example <code>/timezone Europe/Berlin</code>, a city like <code>/timezone Tokyo</code>, or an offset like <code>/timezone UTC+2</code>.
timezone-saved = Got it: your time zone is { $zone } (it's { $now } there now).
timezone-invalid = I don't know that time zone. Try a name like <code>Europe/Berlin</code> or <code>America/Chicago</code>, a city like <code>London</code> or <code>Tokyo</code>, or an offset like <code>UTC+2</code>.

## pause
pause-paused = Check-ins are paused { $until }. Take the time you need. /resume brings them back.
pause-until_resumed = until you resume
pause-until_date = until { $date }
pause-resumed = Check-ins are back on. Your next one: { $when }.
pause-skipping = The next check-in will be skipped. The one after comes as usual.
pause-not_paused = Check-ins aren't paused right now.
pause-no_schedule = There's no check-in schedule to pause. /schedule sets one.
pause-invalid = I couldn't read that date. Send <code>/pause</code> to pause until you resume, or for example <code>/pause 2026-12-24</code> or <code>/pause 3 days</code>.
pause-partner_paused = { $partner } paused your check-ins for now. /schedule shows the details.
pause-partner_resumed = { $partner } resumed your check-ins.
pause-partner_skipped = { $partner } chose to skip the next check-in. The one after comes as usual.

## reach
reach-partner_unreachable = Steady can't reach { $partner } right now; they may have paused or blocked the bot. What's meant for them waits up to { $days } for their return, and your revealed check-ins stay in /history. There's nothing you need to do.
reach-expired_while_away = Welcome back. While you were away, some messages from Steady waited more than { $days }, so they were let go. Every revealed check-in is still in /history: no shared answer is lost.

## repair
repair-not_paired = After a hard moment, Steady helps you both take a real break and find your way back. It works once you're paired: send /pair to invite your partner.
repair-choose = That sounds hard. A real break helps: at least { $min }, to let your body calm down. How long do you need? I'll tell your partner, gently, when you'll be back.
repair-length_20m = 20 minutes
repair-length_1h = 1 hour
repair-length_3h = 3 hours
repair-length_morning = Tomorrow morning
repair-started =
    Your break runs until { $time }. I've let your partner know, without any blame.

    For now, try to soothe rather than replay the argument: slow breaths, a short walk, some water, music you like. It's okay to feel what you feel.
repair-replaced = I've changed your break: it now runs until { $time } (a break lasts at most { $max }). Your partner knows.
repair-partner_break = { $partner } needs a pause after a hard moment and will come back around { $time }. Nothing is needed from you right now; a pause can help you both. Be gentle with yourself meanwhile.
repair-partner_updated = { $partner } needs a little longer and will come back around { $time }.
repair-partner_more_time = { $partner } needs a little more time. I'll check in with you both around { $time }.
repair-nudge =
    The break is over. When you feel ready, here are a few gentle ways back to { $partner }: tap one to send it.

    And, privately: are you ready to talk? I'll only tell you both once you both are.
repair-phrase_0 = I feel calmer now.
repair-phrase_1 = I need to calm down a bit more.
repair-phrase_2 = I'm sorry.
repair-phrase_3 = Let's find a yes together.
repair-phrase_4 = I appreciate you.
repair-phrase_received = { $partner } sends you: <i>{ $phrase }</i>
repair-phrase_sent = Sent.
repair-ready_button = I'm ready to talk
repair-more_button = I need a bit more time
repair-ready_ack = Thank you. I'll let you both know when you're both ready.
repair-both_ready =
    <b>You are both ready to talk.</b>
    Go gently: take turns, listen first, and speak about yourself ("I feel…") rather than about the other. If it gets heated again, it's okay to take another break with /conflict.
repair-more_ack = Of course. Take the time you need; I'll check in again around { $time }.
repair-at_limit = This break has reached its { $max }. When you can, a short, gentle talk often helps, even just to agree on when to talk properly.
repair-care = You've had a few hard moments this week. That happens, and it takes courage to keep coming back to each other. A couples therapist can help with exactly this: { $help }
repair-care_default_help = your doctor or a local counselling service can point you to one.

## guided
guided-offer_button = Start a guided conversation
guided-prompt =
    <b>Guided conversation, step { $step } of { $total }</b>
    { $question }

    <i>Answer privately with a message. { $partner } sees it only when you've both answered. You can stop at any step.</i>
guided-stop_button = Stop here
guided-step_1 = What did you feel? Only feelings for now, no "why": hurt, scared, lonely, angry, sad…
guided-step_2 = What did you see happen? And one part of your partner's view that makes sense to you.
guided-step_3 = What did this touch in you from before: an old hurt, a fear, something from your past?
guided-step_4 = What do you own of what happened? If it fits, an apology for your part.
guided-step_5 = What is one thing you will do differently next time?
guided-partner_waiting = { $partner } has answered this step. Their answer will show once you've added yours, whenever you're ready.
guided-done = You went through all five steps together. That's real repair work. Be kind to yourselves now.
guided-stopped = { $partner } stopped the guided conversation here. That's okay: you can talk in your own way, or come back to it after another break.
guided-stopped_me = Stopped. Answers to this step were deleted unread. You can talk in your own way whenever you're ready.
guided-started = Here is the first step.
guided-already = Your guided conversation has already started.
guided-closed = This step closed before you both answered, so its answers were deleted unread. You can talk in your own way whenever you're ready.

## history
history-entry_title = <i>{ $prompt }</i>
history-empty = Nothing here yet. Check-ins appear here once you've both answered.
history-more = Show older
history-removed_partner = Your former partner
history-removed_answer = (erased at the writer's own request)

## fallback
fallback-unknown_command = I don't know that command. Send /help to see what I can do.
fallback-edited_command = I act on a command as it was first sent, so this edit changes nothing. If something needs changing, /help shows how.
fallback-forwarded_command = That command looks forwarded, so I haven't acted on it: it may be someone else's words. If you want it, just send it yourself.
fallback-unexpected_text = I'm not expecting a message right now. Send /help to see what I can do.
fallback-unexpected_media = I can only work with text for now. Send /help to see what I can do.
fallback-stale_button = This button is no longer active.
fallback-group = I work in private chats only, so what you share stays between you and your partner. Please message me directly: { $link }
fallback-group_button = My buttons work only in our private chat, so what you share stays between you two.

## errors
errors-generic = Sorry, something went wrong on my side. Nothing you sent is lost. Please try again in a moment.

## language
# language-name: this locale's own name for its language, on the /language buttons.
language-name = English
language-current = Steady speaks { $name } with you. Choose another below: each of you reads Steady in your own language.
language-saved = Done: Steady speaks { $name } with you now.
language-auto = As my Telegram app
language-saved_auto = Done: Steady follows your Telegram app's language ({ $name }).

## stats
stats-text =
    <b>Steady at a glance</b>
    Couples paired: { $couples }
    Couples active this week: { $active }
    Messages waiting to be sent: { $queued }
    Messages that could not be delivered: { $undeliverable }
    Last tick: { $last_tick }
    Database size: { $size }
stats-last_tick_ago = { $seconds } s ago
stats-last_tick_never = not yet
stats-size_mb = { $mb } MB
stats-size_unknown = unknown
