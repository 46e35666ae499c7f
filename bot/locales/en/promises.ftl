## promises: a small promise with a due moment, and how it went, seen by both

commands-promise = Make a small promise
commands-promises = Your promises
help-promises =
    <b>Promises and agreements</b>
    /promise – a small promise in your own words, with a due time; at that time you both say privately how it went
    /promises – open promises, and how recent ones went
    /agree – propose an agreement; it counts once you both accept the same words
    /agreements – your agreements, to revise or retire together

promise-usage = Write your promise after the command, in your own words: <code>/promise I'll text you if I'm running late this week</code>. Then choose when to look back on it.
promise-not_paired = Promises are made to a partner: send /pair to invite yours first.
promise-too_long = That's a lot for a small promise (at most { $most } characters). A small, concrete one is easier to keep.
promise-no_draft = No promise is waiting for a due time. Write one first: <code>/promise …</code>
promise-bad_time = I couldn't read that as a moment ahead (within a year). Try <code>/promise when sun 20:00</code> or <code>/promise when 2026-12-24 18:00</code>.
promise-when = When shall we look back on it together?
promise-due_tonight = Tonight, { $when }
promise-due_tomorrow = Tomorrow, { $when }
promise-due_sunday = Sunday, { $when }
promise-due_week = In a week, { $when }
promise-due_other = Another time…
promise-type_when = Send the moment like this, in your time zone: <code>/promise when sun 20:00</code>, <code>/promise when 21:30</code> or <code>/promise when 2026-12-24 18:00</code>.
promise-set = Your promise is made. On { $when } I'll ask you both, privately, how it went. Your partner has been told.
promise-set_weekly = Your promise is made, every week. The first look back is on { $when }; I'll ask you both privately how it went.
promise-weekly_on = Make it weekly
promise-weekly_off = Just this once
promise-withdraw_button = Withdraw it
promise-partner_told = { $partner } made you a promise: “{ $text }”. On { $due } I'll ask you both, privately, how it went.
promise-ack_button = 🤍 I saw it
promise-acknowledged = { $partner } saw your promise “{ $text }” 🤍
promise-ack_thanks = Thank you. They'll know you saw it.
promise-withdrawn = Your promise is withdrawn. That's okay: a promise you can keep is worth more than one that weighs on you.
promise-partner_withdrawn = { $partner } withdrew the promise “{ $text }”. Nothing will be asked about it.
promise-none = No promises yet. A small one, kept, says a lot: <code>/promise …</code>
promise-open_title = <b>Open promises</b>
promise-recent_title = <b>Recently</b>
promise-line_draft = • { $name }: “{ $text }” (no due time yet)
promise-line_open = • { $name }: “{ $text }”, due { $when }
promise-line_asked = • { $name }: “{ $text }”, due { $when }; waiting for you both to look back
promise-line_weekly = (every week)
promise-line_seen = 🤍
promise-line_done = • { $name }: “{ $text }”: { $outcomes }
promise-outcome_by = { $name }: { $outcome }
promise-outcome_kept = kept
promise-outcome_partly = partly
promise-outcome_not = not this time
promise-withdraw_short = Withdraw: { $text }
promise-renew_short = Again next week: { $text }

# The outcome ask (bot.asks): the question, and its three choices.
promise-ask = Did you feel { $partner }'s promise was kept: “{ $text }”?
promise-ask_mine = How did it go with your promise: “{ $text }”?
promise-ask_removed = Looking back on a promise whose words are no longer kept. How did it go, as you see it?
promise-option-kept = Kept
promise-option-partly = Partly
promise-option-not = Not this time
promise-not_this_time = “Not this time” is okay. Promises are practice, not a test, and trust grows back step by step. Would you like to talk about it together? A calm moment, or /checkin, can be a gentle start.
promise-renew_offer = Would you like to promise “{ $text }” again?
promise-renew_button = Again next week
