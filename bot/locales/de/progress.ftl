## progress (/progress, the weekly summary, the weekly opt-ins)
commands-progress = Eure letzten Wochen als Bild
units-weeks =
    { $count ->
     [one] { $count } Woche
    *[other] { $count } Wochen
    }
formats-week = d. MMM
progress-not_paired = /progress zeigt eure gemeinsamen Wochen. Das geht, sobald ihr verbunden seid: Sende /pair, um deine:n Partner:in einzuladen.
progress-chart_title = Eure letzten { $weeks } zusammen
progress-chart_empty = Bisher eine ruhige Zeit. Jede Woche ist ein neuer Anfang.
progress-rating_axis = Sicher gefühlt (1–5)
progress-series_checkins = Von euch beiden beantwortete Fragen
progress-series_conflicts = Pausen nach einem schweren Moment
progress-series_repairs = Wieder zusammen, beide bereit
progress-series_safety = Wie sicher sich { $person } fühlte
progress-summary_empty = Aus euren letzten { $weeks } gibt es noch nichts zu zeigen, und das ist in Ordnung: Ruhige Wochen gehören dazu. Jede Frage, die ihr beide beantwortet, erscheint hier.
progress-summary_title = Eure letzten { $weeks } in Worten:
progress-summary_count = • { $name }: { $count }
progress-summary_rating = • { $name }: { $rated ->
        [one] in { $rated } Woche bewertet
       *[other] in { $rated } Wochen bewertet
    }, zuletzt { $latest } von 5
progress-summary_close = Heilung verläuft nicht geradlinig. Jede Woche, in der ihr füreinander da seid, zählt.
progress-weekly_caption = Eure Woche mit Steady.
    { $summary }
progress-invite_weekly = { $partner } möchte sonntagabends ein Bild eurer gemeinsamen Fortschritte bekommen. Wenn du das auch möchtest, sende /options weekly on. Es kommt nur, wenn ihr beide es wollt.
progress-invite_rating = { $partner } möchte eine kurze wöchentliche Frage: wie sicher ihr euch miteinander gefühlt habt. Die Antworten bleiben privat, bis ihr beide geantwortet habt. Wenn du das auch möchtest, sende /options rating on.
progress-weekly_on = Wochenrückblick: an. Er kommt sonntagabends, solange ihr beide ihn wollt.
progress-weekly_waiting = Wochenrückblick: für dich an. Er beginnt, sobald dein:e Partner:in ihn auch einschaltet; ich habe Bescheid gesagt.
progress-weekly_off = Wochenrückblick: aus.
progress-rating_on = Wöchentliche Frage zur Sicherheit: an. Sie kommt an eurem Fragetag, solange ihr beide sie wollt.
progress-rating_waiting = Wöchentliche Frage zur Sicherheit: für dich an. Sie beginnt, sobald dein:e Partner:in sie auch einschaltet; ich habe Bescheid gesagt.
progress-rating_off = Wöchentliche Frage zur Sicherheit: aus.
progress-choice_invalid = Sende /options weekly on oder /options weekly off (oder dasselbe mit rating). /options rating so wählt den Tag der Frage zur Sicherheit.
progress-options_line = Wochenrückblick (/options weekly on|off): { $weekly }. Wöchentliche Frage zur Sicherheit (/options rating on|off): { $rating }.
progress-on = an
progress-off = aus
ratings-question = Wie sicher habt ihr euch diese Woche miteinander gefühlt? Von 1 (gar nicht sicher) bis 5 (ganz sicher). Deine Antwort bleibt privat, bis ihr beide geantwortet habt.
ratings-option-1 = 1
ratings-option-2 = 2
ratings-option-3 = 3
ratings-option-4 = 4
ratings-option-5 = 5
ratings-day_changed = { $partner } hat eure wöchentliche Frage zur Sicherheit auf { $day } verlegt.
ratings-day_saved = Die wöchentliche Frage zur Sicherheit kommt jetzt am { $day }.
progress-series_promises_kept = Gehaltene Versprechen, wie { $person } es sah
