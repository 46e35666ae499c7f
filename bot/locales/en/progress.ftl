## progress (/progress, the weekly summary, the weekly opt-ins)
commands-progress = Your last weeks as a picture
units-weeks =
    { $count ->
     [one] { $count } week
    *[other] { $count } weeks
    }
formats-week = d MMM
progress-not_paired = /progress pictures your weeks together. It works once you're paired: send /pair to invite your partner.
progress-chart_title = Your last { $weeks } together
progress-chart_empty = A quiet stretch so far. Every week is a fresh start.
progress-rating_axis = Felt safe (1–5)
progress-series_checkins = Check-ins you both answered
progress-series_conflicts = Breaks after a hard moment
progress-series_repairs = Back together, both ready
progress-series_safety = How safe { $person } felt
progress-summary_empty = Nothing to picture from your last { $weeks } yet, and that's okay: quiet weeks are part of it too. Each check-in you both answer will show here.
progress-summary_title = Your last { $weeks }, in words:
progress-summary_count = • { $name }: { $count }
progress-summary_rating = • { $name }: { $rated ->
        [one] rated in { $rated } week
       *[other] rated in { $rated } weeks
    }, most recently { $latest } of 5
progress-summary_close = Healing isn't a straight line. Every week you show up for each other counts.
progress-weekly_caption = Your week with Steady.
    { $summary }
progress-invite_weekly = { $partner } would like a weekly picture of your progress together, on Sunday evenings. If you'd like it too, send /options weekly on. It only comes when you both want it.
progress-invite_rating = { $partner } would like a short weekly question: how safe you felt with each other. Answers stay private until you have both answered. If you'd like it too, send /options rating on.
progress-weekly_on = Weekly summary: on. It comes on Sunday evenings while you both want it.
progress-weekly_waiting = Weekly summary: on for you. It starts once your partner turns it on too; I've let them know.
progress-weekly_off = Weekly summary: off.
progress-rating_on = Weekly safety question: on. It comes on your check-in day while you both want it.
progress-rating_waiting = Weekly safety question: on for you. It starts once your partner turns it on too; I've let them know.
progress-rating_off = Weekly safety question: off.
progress-choice_invalid = Send /options weekly on or /options weekly off (or the same with rating). /options rating sun chooses the day of the safety question.
progress-options_line = Weekly summary (/options weekly on|off): { $weekly }. Weekly safety question (/options rating on|off): { $rating }.
progress-on = on
progress-off = off
ratings-question = How safe did you feel with each other this week? From 1 (not safe at all) to 5 (completely safe). Your answer stays private until you have both answered.
ratings-option-1 = 1
ratings-option-2 = 2
ratings-option-3 = 3
ratings-option-4 = 4
ratings-option-5 = 5
ratings-day_changed = { $partner } moved your weekly safety question to { $day }.
ratings-day_saved = The weekly safety question now comes on { $day }.
progress-series_promises_kept = Promises kept, as { $person } saw it
