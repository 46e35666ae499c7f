## agreements: boundaries and expectations you both accepted, in the same words

commands-agree = Propose an agreement
commands-agreements = Your agreements

agreement-usage = Write the agreement after the command, in your own words: <code>/agree We tell each other when plans change</code>. It counts once your partner accepts it.
agreement-not_paired = Agreements are made together: send /pair to invite your partner first.
agreement-too_long = That's long for an agreement (at most { $most } characters). A sentence or two is easier to live by.
agreement-unknown = I don't know that agreement, or it is no longer open. /agreements shows yours with their numbers.
agreement-proposed = Sent to { $partner }: “{ $text }”. It counts once they accept these words.
agreement-partner_proposed = { $partner } proposes an agreement (#{ $number }): “{ $text }”. It counts only once you accept it. You may also propose other words, or decline: both are fine.
agreement-partner_changed = { $partner } proposes other words for agreement #{ $number }: “{ $text }”. It counts once you accept these words.
agreement-partner_revised = { $partner } proposes new words for agreement #{ $number }: “{ $text }”. Until you accept them, the agreement stays as it is.
agreement-accept_button = Accept
agreement-change_button = Propose other words
agreement-decline_button = Decline, kindly
agreement-accepted = Accepted: “{ $text }” is now an agreement between you and { $partner }.
agreement-accepted_proposer = { $partner } accepted: “{ $text }” is now one of your agreements.
agreement-declined = Declined. { $partner } will hear it kindly. It's okay not to agree on everything.
agreement-declined_proposer = { $partner } would rather not agree to “{ $text }” as it stands. That's okay; perhaps talk about what would feel right for you both.
agreement-how_to_change = Send your words like this: <code>/agree #{ $number } your words</code>. Your partner then decides whether to accept them.
agreement-how_to_revise = Send the new words like this: <code>/agree #{ $number } new words</code>. Until your partner accepts them, the agreement stays as it is.
agreement-retire_asked = You asked to retire “{ $text }”. It stays active until { $partner } confirms.
agreement-partner_retire = { $partner } would like to retire the agreement “{ $text }”. It stays active until you confirm.
agreement-retire_yes = Retire it
agreement-retire_no = Keep it for now
agreement-retired = Retired: “{ $text }”. It stays in your history.
agreement-retired_asker = { $partner } confirmed: “{ $text }” is retired. It stays in your history.
agreement-kept = You kept “{ $text }” for now. Perhaps talk with { $partner } about what isn't working.
agreement-kept_asker = { $partner } would like to keep “{ $text }” for now. Perhaps talk about what isn't working for you.
agreement-none = No agreements yet. Propose one in your own words: <code>/agree …</code>
agreement-list_title = <b>Your agreements</b>
agreement-line_active = #{ $number } “{ $text }” (since { $since })
agreement-line_changed = { $count ->
    [one] (changed once)
   *[other] (changed { $count } times)
}
agreement-line_revision = new words waiting: “{ $text }”
agreement-line_retiring = asked to retire; active until both confirm
agreement-line_proposed = #{ $number } “{ $text }”: waiting for your answer
agreement-line_proposed_mine = #{ $number } “{ $text }”: waiting for your partner
agreement-revise_short = Revise: { $text }
agreement-retire_short = Retire: { $text }

# The monthly review (bot.asks): on when both opt in with /options review on.
review-ask = Is this agreement still working for you? “{ $text }”
review-option-working = It works
review-option-adjust = Could use a tweak
review-option-talk = Needs a talk
review-talk = One of you feels “{ $text }” needs a talk. No blame: agreements are meant to grow with you. Find a calm moment together, or start with /checkin.
review-on_waiting = The monthly agreement review is on for you. It starts once { $partner } turns it on too.
review-on_both = You both have the monthly agreement review on: once a month I'll ask each of you privately whether each agreement still works, and show you both answers together.
review-off = The monthly agreement review is off.
review-partner_on = { $partner } would like a gentle monthly look at your agreements. If you'd like it too: <code>/options review on</code>
review-partner_off = { $partner } turned the monthly agreement review off.
review-invalid = Say <code>/options review on</code> or <code>/options review off</code>.
review-option_line = <code>/options review on</code> – a gentle monthly look at your agreements, once you both turn it on (now: { $state })
review-state_on = on
review-state_off = off
