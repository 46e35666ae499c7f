### First steps after a breach (bot/firststeps.py). The most delicate words in Steady: they
### acknowledge, never blame, leave room for the hurt, and respect letting go as an outcome.

commands-firststeps = First steps after a breach of trust

## The offer
firststeps-offer =
    <b>First steps</b>
    When trust has been broken, repair starts with three small steps, taken together: each of you names what happened, you take responsibility and share how it hurt, and then you both decide whether you want to rebuild. One step a day, each answer private until you have both answered.
    Would you like to begin? It starts only when you both say yes, and you can stop at any time.
firststeps-begin_daily = Yes, one step a day
firststeps-begin_ready = Yes, whenever we're both ready
firststeps-not_now = Not now
firststeps-pace_daily = one step a day at { $time }, each in your own time zone
firststeps-pace_ready = each step as soon as you have both answered the one before
firststeps-partner_asks =
    { $partner } would like to begin <b>first steps</b> with you: { $pace }.
    Would you? There is no rush, and "not now" is a fine answer too.
firststeps-asked = Thank you. I've asked { $partner }; first steps begin when you both say yes.
firststeps-waiting = You've said yes. First steps begin when { $partner } says yes too; nothing is needed from you meanwhile.
firststeps-begins =
    You have both said yes. Thank you for being here; that takes courage.
    First steps come { $pace }. The first one is coming now. You can stop at any time from /firststeps.
firststeps-started = You have both said yes: first steps begin.
firststeps-declined = That's okay. You can begin first steps any time with /firststeps.
firststeps-partner_declined = { $partner } would rather not begin first steps right now. That's okay; either of you can begin them any time with /firststeps.
firststeps-not_paired = First steps are for the two of you, so they work once you're paired: send /pair to invite your partner.
firststeps-help_line = /firststeps – first steps after a breach of trust: acknowledge, take responsibility, decide together
firststeps-help_button = First steps after a breach

## Under way
firststeps-status =
    <b>First steps</b> are under way: { $stage ->
        [0] each of you is choosing, privately, how you see your part.
        [1] step 1 of 3, naming what happened.
        [2] step 2 of 3, responsibility and how it hurt.
       *[other] step 3 of 3, deciding together.
    }
    They come { $pace }. Change the time with /firststeps 21:30. You can stop at any time; what has not been shared yet is deleted unread.
firststeps-stop_button = Stop first steps
firststeps-stopped = First steps are stopped. Anything not yet shared was deleted unread. You can begin again any time with /firststeps.
firststeps-partner_stopped = { $partner } has stopped first steps for now. Anything not yet shared was deleted unread. Stopping is okay; you can begin again any time with /firststeps.
firststeps-time_usage = Send the time of day you'd like first steps to come, like /firststeps 21:30.
firststeps-nothing_under_way = First steps are not under way right now. Send /firststeps to begin.
firststeps-time_set = Done: first steps now come at that time, each in your own time zone. I've told { $partner }.
firststeps-partner_time = { $partner } moved first steps to { $time }, in your own time zone.
firststeps-reminder = A gentle reminder: a first step is waiting for you, whenever you're ready. There's no deadline. Reply to the step's message to answer.

## Roles (optional, chosen privately, shown together)
firststeps-roles_question =
    First steps: before we begin
    Which fits best for you? It shapes how the next steps are worded; "I'd rather not say" is completely fine.
firststeps-role-hurt = I was mostly hurt
firststeps-role-caused = I mostly caused the hurt
firststeps-role-both = It goes both ways
firststeps-role-private = I'd rather not say
firststeps-roles_split = Thank you both. The next steps are worded for that: { $caused } takes responsibility, and { $hurt } has room to say how it hurt.
firststeps-roles_both = Thank you both. In the next steps each of you will do both: take responsibility for your part, and share how it affected you. Seeing it differently is common, and nobody needs to be right here.

## The three steps
firststeps-step_1 =
    First steps, step 1 of 3: acknowledge
    In your own words, name what happened. Just what happened, as plainly as you can; there's no need to explain or defend it yet.
firststeps-step_2_split =
    First steps, step 2 of 3: responsibility and impact
    { $caused }: write what you take responsibility for. No "but", no explaining it away: just what you did and that it hurt.
    { $hurt }: write how it affected you, and what you need now.
firststeps-step_2_both =
    First steps, step 2 of 3: responsibility and impact
    Each of you: write what you take responsibility for, without "but" and without explaining it away. Then write how it affected you, and what you need now.
firststeps-step_3 =
    First steps, step 3 of 3: decide together
    Do you want to rebuild trust together? Answer only for yourself.
firststeps-decide-yes = Yes
firststeps-decide-unsure = Not sure yet
firststeps-decide-no = No

## After the decision
firststeps-both_yes =
    You both want to rebuild trust together. That matters, and it is a beginning, not a finish line.
    Three gentle ways to go on, whenever you're ready:
firststeps-next_schedule_button = Plan regular check-ins
firststeps-next_promise_button = Make a first small promise
firststeps-next_agree_button = Make a first agreement
firststeps-next_promise = A first small promise is something you can keep this week. Send /promise to make one.
firststeps-next_agree = A first agreement is something you both say yes to. Send /agree to suggest one.
firststeps-unsure =
    At least one of you is not sure yet, and that's okay. Trust is rebuilt slowly, and patience is part of it.
    I'll ask you both again in a week. Until then, nothing is needed from you.
firststeps-no =
    One of you doesn't want to rebuild together, at least not now. That is an honest answer, and it deserves respect; nobody is to blame for answering truthfully.
    Scheduled check-ins are paused. Your pairing does not end by itself, and nothing here will press either of you to stay.
firststeps-letting_go =
    <b>Letting go</b> is a respected outcome too. Whenever you're ready, these are yours:
    /unpair – end the pairing
    /export – keep a copy of your data
    /delete – erase your data from Steady
    Talking with an individual therapist can help you through this, whatever comes next. If anyone feels unsafe, please contact your local emergency services; /help has the crisis line.
