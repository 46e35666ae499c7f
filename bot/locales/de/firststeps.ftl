### Erste Schritte nach einem Vertrauensbruch (bot/firststeps.py). Die behutsamsten Worte in
### Steady: anerkennen, nie beschuldigen, Raum für den Schmerz, Loslassen respektieren.

commands-firststeps = Erste Schritte nach einem Vertrauensbruch

## Das Angebot
firststeps-offer =
    <b>Erste Schritte</b>
    Wenn Vertrauen gebrochen wurde, beginnt die Heilung mit drei kleinen Schritten, die ihr gemeinsam geht: Jede und jeder benennt, was passiert ist, ihr übernehmt Verantwortung und erzählt, wie es verletzt hat, und dann entscheidet ihr gemeinsam, ob ihr wieder aufbauen wollt. Ein Schritt pro Tag, und jede Antwort bleibt privat, bis ihr beide geantwortet habt.
    Möchtest du beginnen? Es beginnt erst, wenn ihr beide Ja sagt, und du kannst jederzeit aufhören.
firststeps-begin_daily = Ja, ein Schritt pro Tag
firststeps-begin_ready = Ja, wann immer wir beide bereit sind
firststeps-not_now = Jetzt nicht
firststeps-pace_daily = ein Schritt pro Tag um { $time }, jeweils in der eigenen Zeitzone
firststeps-pace_ready = jeder Schritt, sobald ihr beide den vorigen beantwortet habt
firststeps-partner_asks =
    { $partner } möchte mit dir die <b>ersten Schritte</b> beginnen: { $pace }.
    Und du? Es eilt nicht, und „jetzt nicht“ ist auch eine gute Antwort.
firststeps-asked = Danke. Ich habe { $partner } gefragt; die ersten Schritte beginnen, wenn ihr beide Ja sagt.
firststeps-waiting = Du hast Ja gesagt. Die ersten Schritte beginnen, wenn { $partner } auch Ja sagt; bis dahin musst du nichts tun.
firststeps-begins =
    Ihr habt beide Ja gesagt. Danke, dass ihr hier seid; das braucht Mut.
    Die ersten Schritte kommen { $pace }. Der erste kommt jetzt. Aufhören kannst du jederzeit über /firststeps.
firststeps-started = Ihr habt beide Ja gesagt: Die ersten Schritte beginnen.
firststeps-declined = Das ist in Ordnung. Du kannst die ersten Schritte jederzeit mit /firststeps beginnen.
firststeps-partner_declined = { $partner } möchte die ersten Schritte gerade lieber nicht beginnen. Das ist in Ordnung; ihr könnt sie jederzeit mit /firststeps beginnen.
firststeps-not_paired = Die ersten Schritte sind für euch beide, deshalb funktionieren sie, sobald ihr verbunden seid: Sende /pair, um deine Partnerin oder deinen Partner einzuladen.
firststeps-help_line = /firststeps – erste Schritte nach einem Vertrauensbruch: anerkennen, Verantwortung übernehmen, gemeinsam entscheiden
firststeps-help_button = Erste Schritte nach einem Vertrauensbruch

## Unterwegs
firststeps-status =
    Die <b>ersten Schritte</b> laufen: { $stage ->
        [0] Jede und jeder wählt für sich, wie sie oder er den eigenen Anteil sieht.
        [1] Schritt 1 von 3, benennen, was passiert ist.
        [2] Schritt 2 von 3, Verantwortung und wie es verletzt hat.
       *[other] Schritt 3 von 3, gemeinsam entscheiden.
    }
    Sie kommen { $pace }. Die Uhrzeit änderst du mit /firststeps 21:30. Du kannst jederzeit aufhören; was noch nicht geteilt wurde, wird ungelesen gelöscht.
firststeps-stop_button = Erste Schritte beenden
firststeps-stopped = Die ersten Schritte sind beendet. Was noch nicht geteilt war, wurde ungelesen gelöscht. Du kannst jederzeit mit /firststeps neu beginnen.
firststeps-partner_stopped = { $partner } hat die ersten Schritte vorerst beendet. Was noch nicht geteilt war, wurde ungelesen gelöscht. Aufhören ist in Ordnung; ihr könnt jederzeit mit /firststeps neu beginnen.
firststeps-time_usage = Sende die Uhrzeit, zu der die ersten Schritte kommen sollen, zum Beispiel /firststeps 21:30.
firststeps-nothing_under_way = Gerade laufen keine ersten Schritte. Sende /firststeps, um zu beginnen.
firststeps-time_set = Erledigt: Die ersten Schritte kommen jetzt zu dieser Uhrzeit, jeweils in der eigenen Zeitzone. Ich habe es { $partner } gesagt.
firststeps-partner_time = { $partner } hat die ersten Schritte auf { $time } verlegt, in deiner eigenen Zeitzone.
firststeps-reminder = Eine sanfte Erinnerung: Ein erster Schritt wartet auf dich, wann immer du bereit bist. Es gibt keine Frist. Antworte auf die Nachricht mit dem Schritt.

## Rollen (freiwillig, für sich gewählt, gemeinsam gezeigt)
firststeps-roles_question =
    Erste Schritte: bevor wir beginnen
    Was passt für dich am besten? Sie bestimmt, wie die nächsten Schritte formuliert sind; „Ich sage es lieber nicht“ ist völlig in Ordnung.
firststeps-role-hurt = Ich wurde vor allem verletzt
firststeps-role-caused = Ich habe vor allem verletzt
firststeps-role-both = Es geht in beide Richtungen
firststeps-role-private = Ich sage es lieber nicht
firststeps-roles_split = Danke euch beiden. Die nächsten Schritte sind so formuliert: { $caused } übernimmt Verantwortung, und { $hurt } hat Raum zu sagen, wie es verletzt hat.
firststeps-roles_both = Danke euch beiden. In den nächsten Schritten macht jede und jeder von euch beides: Verantwortung für den eigenen Anteil übernehmen und erzählen, wie es einen getroffen hat. Es unterschiedlich zu sehen ist häufig, und niemand muss hier recht haben.

## Die drei Schritte
firststeps-step_1 =
    Erste Schritte, Schritt 1 von 3: anerkennen
    Benenne mit deinen eigenen Worten, was passiert ist. Nur was passiert ist, so schlicht du kannst; erklären oder verteidigen musst du es noch nicht.
firststeps-step_2_split =
    Erste Schritte, Schritt 2 von 3: Verantwortung und Folgen
    { $caused }: Schreib, wofür du Verantwortung übernimmst. Ohne „aber“, ohne es wegzuerklären: nur was du getan hast und dass es verletzt hat.
    { $hurt }: Schreib, wie es dich getroffen hat und was du jetzt brauchst.
firststeps-step_2_both =
    Erste Schritte, Schritt 2 von 3: Verantwortung und Folgen
    Jede und jeder von euch: Schreib, wofür du Verantwortung übernimmst, ohne „aber“ und ohne es wegzuerklären. Dann schreib, wie es dich getroffen hat und was du jetzt brauchst.
firststeps-step_3 =
    Erste Schritte, Schritt 3 von 3: gemeinsam entscheiden
    Möchtest du gemeinsam Vertrauen wieder aufbauen? Antworte nur für dich.
firststeps-decide-yes = Ja
firststeps-decide-unsure = Noch nicht sicher
firststeps-decide-no = Nein

## Nach der Entscheidung
firststeps-both_yes =
    Ihr wollt beide gemeinsam Vertrauen wieder aufbauen. Das zählt, und es ist ein Anfang, kein Ziel.
    Drei sanfte Wege weiter, wann immer ihr bereit seid:
firststeps-next_schedule_button = Regelmäßige Check-ins planen
firststeps-next_promise_button = Ein erstes kleines Versprechen geben
firststeps-next_agree_button = Eine erste Vereinbarung treffen
firststeps-next_promise = Ein erstes kleines Versprechen ist etwas, das du diese Woche halten kannst. Sende /promise, um eines zu geben.
firststeps-next_agree = Eine erste Vereinbarung ist etwas, zu dem ihr beide Ja sagt. Sende /agree, um eine vorzuschlagen.
firststeps-unsure =
    Mindestens eine oder einer von euch ist noch nicht sicher, und das ist in Ordnung. Vertrauen wächst langsam, und Geduld gehört dazu.
    Ich frage euch beide in einer Woche noch einmal. Bis dahin müsst ihr nichts tun.
firststeps-no =
    Eine oder einer von euch möchte nicht gemeinsam wieder aufbauen, zumindest jetzt nicht. Das ist eine ehrliche Antwort, und sie verdient Respekt; niemand ist schuld daran, ehrlich zu antworten.
    Geplante Check-ins sind pausiert. Eure Verbindung endet nicht von selbst, und nichts hier drängt eine oder einen von euch zu bleiben.
firststeps-letting_go =
    <b>Loslassen</b> ist auch ein respektierter Ausgang. Wann immer du bereit bist, steht dir das offen:
    /unpair – die Verbindung beenden
    /export – eine Kopie deiner Daten behalten
    /delete – deine Daten aus Steady löschen
    Ein Gespräch mit einer Einzeltherapeutin oder einem Einzeltherapeuten kann dir helfen, was auch immer als Nächstes kommt. Wenn sich jemand nicht sicher fühlt, wende dich bitte an den örtlichen Notruf; unter /help steht die Krisennummer.
