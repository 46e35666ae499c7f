## agreements: boundaries and expectations you both accepted, in the same words

commands-agree = Eine Vereinbarung vorschlagen
commands-agreements = Eure Vereinbarungen

agreement-usage = Schreib die Vereinbarung nach dem Befehl, in deinen Worten: <code>/agree Wir sagen einander, wenn sich Pläne ändern</code>. Sie gilt, sobald dein Partner sie annimmt.
agreement-not_paired = Vereinbarungen trifft man zu zweit: Sende zuerst /pair, um deinen Partner einzuladen.
agreement-too_long = Das ist lang für eine Vereinbarung (höchstens { $most } Zeichen). Ein, zwei Sätze lassen sich leichter leben.
agreement-unknown = Diese Vereinbarung kenne ich nicht, oder sie ist nicht mehr offen. /agreements zeigt eure mit ihren Nummern.
agreement-proposed = An { $partner } gesendet: „{ $text }“. Sie gilt, sobald diese Worte angenommen sind.
agreement-partner_proposed = { $partner } schlägt eine Vereinbarung vor (#{ $number }): „{ $text }“. Sie gilt erst, wenn du sie annimmst. Du kannst auch andere Worte vorschlagen oder ablehnen: beides ist in Ordnung.
agreement-partner_changed = { $partner } schlägt andere Worte für Vereinbarung #{ $number } vor: „{ $text }“. Sie gilt, sobald du diese Worte annimmst.
agreement-partner_revised = { $partner } schlägt neue Worte für Vereinbarung #{ $number } vor: „{ $text }“. Bis du sie annimmst, bleibt die Vereinbarung, wie sie ist.
agreement-accept_button = Annehmen
agreement-change_button = Andere Worte vorschlagen
agreement-decline_button = Freundlich ablehnen
agreement-accepted = Angenommen: „{ $text }“ ist jetzt eine Vereinbarung zwischen dir und { $partner }.
agreement-accepted_proposer = { $partner } hat angenommen: „{ $text }“ ist jetzt eine eurer Vereinbarungen.
agreement-declined = Abgelehnt. { $partner } erfährt es behutsam. Man muss nicht in allem übereinstimmen.
agreement-declined_proposer = { $partner } möchte „{ $text }“ so lieber nicht vereinbaren. Das ist in Ordnung; vielleicht redet ihr darüber, was für euch beide passen würde.
agreement-how_to_change = Sende deine Worte so: <code>/agree #{ $number } deine Worte</code>. Dann entscheidet dein Partner, ob er sie annimmt.
agreement-how_to_revise = Sende die neuen Worte so: <code>/agree #{ $number } neue Worte</code>. Bis dein Partner sie annimmt, bleibt die Vereinbarung, wie sie ist.
agreement-retire_asked = Du möchtest „{ $text }“ beenden. Sie gilt weiter, bis { $partner } bestätigt.
agreement-partner_retire = { $partner } möchte die Vereinbarung „{ $text }“ beenden. Sie gilt weiter, bis du bestätigst.
agreement-retire_yes = Beenden
agreement-retire_no = Vorerst behalten
agreement-retired = Beendet: „{ $text }“. Sie bleibt in eurer Geschichte.
agreement-retired_asker = { $partner } hat bestätigt: „{ $text }“ ist beendet. Sie bleibt in eurer Geschichte.
agreement-kept = Du hast „{ $text }“ vorerst behalten. Vielleicht redest du mit { $partner } darüber, was nicht funktioniert.
agreement-kept_asker = { $partner } möchte „{ $text }“ vorerst behalten. Vielleicht redet ihr darüber, was für dich nicht funktioniert.
agreement-none = Noch keine Vereinbarungen. Schlag eine in deinen Worten vor: <code>/agree …</code>
agreement-list_title = <b>Eure Vereinbarungen</b>
agreement-line_active = #{ $number } „{ $text }“ (seit { $since })
agreement-line_changed = { $count ->
    [one] (einmal geändert)
   *[other] ({ $count }-mal geändert)
}
agreement-line_revision = neue Worte warten: „{ $text }“
agreement-line_retiring = Beenden gewünscht; gilt, bis ihr beide bestätigt
agreement-line_proposed = #{ $number } „{ $text }“: wartet auf deine Antwort
agreement-line_proposed_mine = #{ $number } „{ $text }“: wartet auf deinen Partner
agreement-revise_short = Überarbeiten: { $text }
agreement-retire_short = Beenden: { $text }

# The monthly review (bot.asks): on when both opt in with /options review on.
review-ask = Funktioniert diese Vereinbarung noch für dich? „{ $text }“
review-option-working = Sie funktioniert
review-option-adjust = Könnte eine Anpassung brauchen
review-option-talk = Wir sollten reden
review-talk = Einer von euch findet, dass ihr über „{ $text }“ reden solltet. Ohne Schuld: Vereinbarungen dürfen mit euch wachsen. Sucht euch einen ruhigen Moment zu zweit, oder beginnt mit /checkin.
review-on_waiting = Der monatliche Blick auf eure Vereinbarungen ist für dich an. Er beginnt, sobald { $partner } ihn auch einschaltet.
review-on_both = Ihr habt beide den monatlichen Blick auf eure Vereinbarungen an: Einmal im Monat frage ich jeden für sich, ob jede Vereinbarung noch funktioniert, und zeige euch beide Antworten zusammen.
review-off = Der monatliche Blick auf eure Vereinbarungen ist aus.
review-partner_on = { $partner } wünscht sich einen sanften monatlichen Blick auf eure Vereinbarungen. Wenn du das auch möchtest: <code>/options review on</code>
review-partner_off = { $partner } hat den monatlichen Blick auf eure Vereinbarungen ausgeschaltet.
review-invalid = Schreib <code>/options review on</code> oder <code>/options review off</code>.
review-option_line = <code>/options review on</code> – ein sanfter monatlicher Blick auf eure Vereinbarungen, sobald ihr ihn beide einschaltet (jetzt: { $state })
review-state_on = an
review-state_off = aus
