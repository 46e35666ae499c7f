## promises: a small promise with a due moment, and how it went, seen by both

commands-promise = Ein kleines Versprechen geben
commands-promises = Eure Versprechen
help-promises =
    <b>Versprechen und Vereinbarungen</b>
    /promise – ein kleines Versprechen in deinen Worten, mit Zeitpunkt; dann sagt ihr beide für euch, wie es lief
    /promises – offene Versprechen und wie die letzten liefen
    /agree – eine Vereinbarung vorschlagen; sie gilt, wenn ihr beide dieselben Worte annehmt
    /agreements – eure Vereinbarungen, gemeinsam überarbeiten oder beenden

promise-usage = Schreib dein Versprechen nach dem Befehl, in deinen Worten: <code>/promise Ich schreibe dir, wenn ich diese Woche später komme</code>. Dann wähle, wann ihr darauf zurückblickt.
promise-not_paired = Versprechen gibt man einem Partner: Sende zuerst /pair, um deinen einzuladen.
promise-too_long = Das ist viel für ein kleines Versprechen (höchstens { $most } Zeichen). Ein kleines, konkretes ist leichter zu halten.
promise-no_draft = Kein Versprechen wartet auf einen Zeitpunkt. Schreib zuerst eines: <code>/promise …</code>
promise-bad_time = Das konnte ich nicht als Zeitpunkt in der Zukunft lesen (innerhalb eines Jahres). Versuch <code>/promise wann so 20:00</code> oder <code>/promise wann 2026-12-24 18:00</code>.
promise-when = Wann blicken wir gemeinsam darauf zurück?
promise-due_tonight = Heute Abend, { $when }
promise-due_tomorrow = Morgen, { $when }
promise-due_sunday = Sonntag, { $when }
promise-due_week = In einer Woche, { $when }
promise-due_other = Andere Zeit…
promise-type_when = Sende den Zeitpunkt so, in deiner Zeitzone: <code>/promise wann so 20:00</code>, <code>/promise wann 21:30</code> oder <code>/promise wann 2026-12-24 18:00</code>.
promise-set = Dein Versprechen steht. Am { $when } frage ich euch beide, jeden für sich, wie es lief. Dein Partner weiß Bescheid.
promise-set_weekly = Dein Versprechen steht, jede Woche. Zum ersten Mal blicken wir am { $when } zurück; ich frage euch beide für euch, wie es lief.
promise-weekly_on = Jede Woche
promise-weekly_off = Nur dieses Mal
promise-withdraw_button = Zurücknehmen
promise-partner_told = { $partner } gibt dir ein Versprechen: „{ $text }“. Am { $due } frage ich euch beide, jeden für sich, wie es lief.
promise-ack_button = 🤍 Gesehen
promise-acknowledged = { $partner } hat dein Versprechen „{ $text }“ gesehen 🤍
promise-ack_thanks = Danke. Dein Partner erfährt, dass du es gesehen hast.
promise-withdrawn = Dein Versprechen ist zurückgenommen. Das ist in Ordnung: Ein Versprechen, das du halten kannst, ist mehr wert als eines, das dich belastet.
promise-partner_withdrawn = { $partner } hat das Versprechen „{ $text }“ zurückgenommen. Danach wird nicht gefragt.
promise-none = Noch keine Versprechen. Ein kleines, gehaltenes sagt viel: <code>/promise …</code>
promise-open_title = <b>Offene Versprechen</b>
promise-recent_title = <b>Zuletzt</b>
promise-line_draft = • { $name }: „{ $text }“ (noch ohne Zeitpunkt)
promise-line_open = • { $name }: „{ $text }“, am { $when }
promise-line_asked = • { $name }: „{ $text }“, am { $when }; wartet darauf, dass ihr beide zurückblickt
promise-line_weekly = (jede Woche)
promise-line_seen = 🤍
promise-line_done = • { $name }: „{ $text }“: { $outcomes }
promise-outcome_by = { $name }: { $outcome }
promise-outcome_kept = gehalten
promise-outcome_partly = teilweise
promise-outcome_not = diesmal nicht
promise-withdraw_short = Zurücknehmen: { $text }
promise-renew_short = Nächste Woche wieder: { $text }

# The outcome ask (bot.asks): the question, and its three choices.
promise-ask = Hattest du das Gefühl, dass { $partner } das Versprechen gehalten hat: „{ $text }“?
promise-ask_mine = Wie lief es mit deinem Versprechen: „{ $text }“?
promise-ask_removed = Ein Blick zurück auf ein Versprechen, dessen Worte nicht mehr aufbewahrt werden. Wie lief es, so wie du es siehst?
promise-option-kept = Gehalten
promise-option-partly = Teilweise
promise-option-not = Diesmal nicht
promise-not_this_time = „Diesmal nicht“ ist in Ordnung. Versprechen sind Übung, keine Prüfung, und Vertrauen wächst Schritt für Schritt. Möchtet ihr gemeinsam darüber reden? Ein ruhiger Moment oder /checkin kann ein sanfter Anfang sein.
promise-renew_offer = Möchtest du „{ $text }“ noch einmal versprechen?
promise-renew_button = Nächste Woche wieder
