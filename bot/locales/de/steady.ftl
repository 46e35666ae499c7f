### Steadys Texte auf Deutsch (Fluent). Dieselben Nachrichten und Variablen wie en.ftl.
### Ton: warm, kurz, ohne Vorwürfe und ohne Druck. Duzen; statt „Partner/Partnerin“ meist
### der Name oder „ihr beide“, damit es für jedes Geschlecht natürlich klingt.

## formats
formats-when = EEE, d. MMM, HH:mm
formats-clock = HH:mm
formats-clock_day = HH:mm (EEE)
formats-date = d. MMM y
formats-chosen_day = ✓ { $day }

## units
units-minutes =
    { $count ->
        [one] { $count } Minute
       *[other] { $count } Minuten
    }
units-hours =
    { $count ->
        [one] { $count } Stunde
       *[other] { $count } Stunden
    }
units-days =
    { $count ->
        [one] { $count } Tag
       *[other] { $count } Tage
    }
units-answers =
    { $count ->
        [one] { $count } Antwort
       *[other] { $count } Antworten
    }
units-check_ins =
    { $count ->
        [one] { $count } Check-in
       *[other] { $count } Check-ins
    }
units-pairings =
    { $count ->
        [one] { $count } Verbindung
       *[other] { $count } Verbindungen
    }

## commands
commands-start = Willkommen und was Steady kann
commands-pair = Eine Einladung für euch zwei erstellen
commands-join = Mit dem Code beitreten
commands-unpair = Die Verbindung beenden
commands-language = Deine Sprache
commands-checkin = Jetzt einen Check-in starten
commands-history = Eure aufgedeckten Check-ins
commands-options = Wie lange Check-ins offen bleiben
commands-schedule = Wann Check-ins kommen
commands-timezone = Deine Zeitzone
commands-pause = Check-ins pausieren
commands-resume = Check-ins fortsetzen
commands-skip = Den nächsten Check-in auslassen
commands-conflict = Wir hatten Streit: eine Pause machen
commands-help = Was Steady kann
commands-export = Eine Kopie deiner Daten
commands-delete = Deine Daten löschen

## start
start-welcome =
    Hallo { $name }, ich bin Steady.

    Ich helfe Paaren, Vertrauen wieder aufzubauen, in kleinen ehrlichen Schritten: regelmäßige Check-ins, die ihr beide beantwortet, und behutsame Unterstützung nach einem schweren Moment.

    Eure Antworten bleiben privat, bis <b>ihr beide</b> geantwortet habt. Dann seht ihr beide beide Antworten, einmal.

    Steady ist eine Begleitung, kein Ersatz für eine Paartherapie.
start-next_unpaired = Sende zum Start /pair und leite die Einladung an die Person weiter, mit der du Steady nutzen willst.
start-next_paired = Du bist mit { $partner } verbunden. Sende /help, um zu sehen, was du tun kannst.

## help
help-text =
    <b>Was Steady kann</b>
    /pair – eine Einladung für die andere Person erstellen
    /join CODE – mit dem Einladungscode beitreten
    /checkin – jetzt einen Check-in starten
    /history – Check-ins, die ihr beide beantwortet habt
    /options – wie lange Check-ins offen bleiben, und Erinnerungen
    /schedule – die Tage und die Uhrzeit der Check-ins
    /timezone – deine Zeitzone (jede und jeder hat eine eigene)
    /pause, /resume, /skip – eine Pause machen oder den nächsten Check-in auslassen
    /conflict – nach einem schweren Moment: eine echte Pause, dann ein behutsamer Weg zurück
    /progress – eure letzten 12 Wochen als Bild und in Worten
    /report – eine PDF-Zusammenfassung für euch oder eine Therapie, nur wenn ihr beide zustimmt
    /unpair – die Verbindung beenden
    /export, /delete – eine Kopie deiner Daten, oder sie löschen
    /language – die Sprache, in der Steady mit dir spricht
    /help – diese Liste

    <b>So funktioniert ein Check-in</b>
    Ihr bekommt beide dieselbe Frage und beantwortet sie privat, mit einer Nachricht an mich. Eine neue Nachricht ersetzt deine Antwort. Niemand sieht die Antwort des anderen, bevor ihr beide geantwortet habt; dann seht ihr beide beide. Eine Antwort, die allein bleibt, wird ungelesen gelöscht.

    Steady ist keine Therapie. Wenn ihr Unterstützung wollt, kann eine Paartherapie helfen. { $crisis }
help-crisis_default = Wenn sich jemand nicht sicher fühlt, wende dich bitte an den Notruf vor Ort.
help-conflict_button = Wir hatten Streit

## pairing
pairing-invite =
    Hier ist deine Einladung. Leite diesen Link weiter:
    { $link }

    Oder die andere Person sendet mir <code>/join { $code }</code>

    Sie gilt einmal und läuft nach 48 Stunden ab. Ein neues /pair ersetzt sie.
pairing-already_paired_pair = Du bist schon mit { $partner } verbunden. Um neu anzufangen, sende zuerst /unpair.
pairing-already_paired_join = Du bist schon mit { $partner } verbunden. Um dich mit jemand anderem zu verbinden, sende zuerst /unpair.
pairing-join_usage = Bitte sende den Code, den du bekommen hast, so: <code>/join ABCDE-12345</code>
pairing-paired_joiner = Du bist jetzt mit { $partner } verbunden. Schritt für Schritt, gemeinsam.
pairing-paired_inviter = { $partner } ist dazugekommen. Ihr seid jetzt auf Steady verbunden. Schritt für Schritt, gemeinsam.
pairing-not_a_code = Das sieht nicht wie ein Einladungscode aus. Bitte sende den Code, den du bekommen hast, so: <code>/join ABCDE-12345</code>
pairing-wrong = Diesen Code finde ich nicht. Prüft ihn gemeinsam, oder bitte um einen neuen per /pair.
pairing-expired = Diese Einladung ist abgelaufen (sie gilt 48 Stunden). Mit /pair gibt es eine neue.
pairing-used = Diese Einladung kann nicht mehr genutzt werden. Mit /pair gibt es eine neue.
pairing-replaced = Diese Einladung wurde durch eine neuere ersetzt. Bitte frag nach dem neuesten Code.
pairing-unpaired_partner = { $partner } hat eure Verbindung auf Steady beendet. Pass gut auf dich auf. Du kannst jederzeit wieder /pair senden.
pairing-own_invite = Das ist deine eigene Einladung. Leite sie weiter, damit die andere Person beitreten kann.
pairing-too_many = Damit Einladungen sicher bleiben, erstelle ich höchstens { $limit } pro Stunde. Eine neue gibt es in { $wait }; bis dahin teile bitte die letzte, die ich dir geschickt habe.
pairing-cool_off = Ein paar Codes haben nicht gepasst. Lass uns 15 Minuten Pause machen, dann versuch es mit dem Code aus dem neuesten /pair.

## unpair
unpair-not_paired = Du bist gerade mit niemandem verbunden. Sende /pair, um jemanden einzuladen.
unpair-confirm = Möchtest du die Verbindung mit { $partner } beenden? Die Check-ins enden dann für euch beide.
unpair-yes = Ja, beenden
unpair-no = Verbunden bleiben
unpair-done = Die Verbindung mit { $partner } ist beendet. Pass gut auf dich auf. Du kannst jederzeit wieder /pair senden.
unpair-kept = Gut, nichts hat sich geändert. Du bist weiter mit { $partner } verbunden.

## privacy
privacy-export_summary =
    Hier ist alles, was Steady über dich speichert: { $answers }, { $revealed }, die ihr beide beantwortet habt, und { $pairings }.

    Die Datei gehört nur dir. Bewahre sie sicher auf: Sie enthält, was du geschrieben hast.
privacy-export_nothing = Steady speichert noch nichts über dich.
privacy-delete_confirm =
    <b>Deine Daten löschen?</b>
    Das beendet deine Verbindung, falls es eine gibt, und löscht alles, was Steady über dich speichert: deine Antworten (aufgedeckt oder nicht), deine Einladungen, deine Einstellungen und alles, was noch an dich oder über dich gesendet werden sollte. Die Worte der anderen Person bleiben ihre; sie erfährt nur, dass die Verbindung beendet ist.

    Was sich nicht löschen lässt: Nachrichten, die schon im Telegram-Chat der anderen Person sind, ein schon gesendetes PDF und ältere Sicherungen des Servers.

    Wenn du Zeit brauchst, um in Sicherheit zu sein, kann Steady erst nach 24 Stunden Bescheid geben. Bis dahin schickt Steady der anderen Person nichts darüber, doch wenn sie Steady in dieser Zeit benutzt, könnte sie bemerken, dass die Verbindung beendet ist. { $crisis }

    Vorher kannst du mit /export eine Kopie nehmen.
privacy-delete_now = Jetzt löschen
privacy-delete_later = Löschen, in 24 Stunden Bescheid geben
privacy-delete_keep = Meine Daten behalten
privacy-deleted = Alles, was Steady über dich gespeichert hat, ist gelöscht. Pass gut auf dich auf. Wenn du irgendwann zurückkommen möchtest, sende /start.
privacy-deleted_later = Alles, was Steady über dich gespeichert hat, ist gelöscht. Steady sagt der anderen Person in 24 Stunden, dass die Verbindung beendet ist, und sonst nichts; benutzt sie Steady vorher, könnte sie es bemerken. Pass gut auf dich auf.
privacy-kept = Nichts wurde gelöscht. Deine Daten bleiben, wie sie waren.
privacy-nothing = Steady speichert nichts über dich, es gibt also nichts zu löschen.
privacy-partner_notice = Eure Verbindung auf Steady ist beendet. Deine eigenen Antworten bleiben deine: /export zeigt sie dir. Sei gut zu dir. Du kannst jederzeit wieder /pair senden.

## checkin
checkin-prompt =
    <b>Check-in</b>
    { $prompt }

    <i>Antworte mit einer Nachricht, wann immer du so weit bist. { $partner } sieht sie erst, wenn ihr beide geantwortet habt.</i>
checkin-already_open =
    Ein Check-in ist schon offen:
    <i>{ $prompt }</i>

    Sende deine Antwort als Nachricht, wann immer du so weit bist.
checkin-already_answered = Ein Check-in ist schon offen, und deine Antwort ist da. Ich zeige euch beide Antworten, sobald auch { $partner } geantwortet hat.
checkin-not_paired = Check-ins sind für zwei. Sende zuerst /pair, um jemanden einzuladen.
checkin-saved = Danke. Deine Antwort auf <i>{ $question }</i> bleibt privat, bis auch { $partner } geantwortet hat.
checkin-replaced = Aktualisiert: Das ersetzt deine frühere Antwort auf <i>{ $question }</i>. Sie bleibt privat, bis auch { $partner } geantwortet hat.
checkin-move_button = Gehört zu: { $question }
checkin-joined = Den nächsten Teil habe ich auch: Er ist zu deiner Antwort hinzugefügt.
checkin-on_its_way = Dein nächster Check-in ist unterwegs und kommt zur gewohnten Zeit. Antworte, wann immer er da ist.
checkin-partner_waiting = { $partner } hat den Check-in beantwortet. Die Antwort zeigt sich, sobald du deine ergänzt hast, ganz ohne Eile.
checkin-reveal_title =
    <b>Ihr habt beide geantwortet.</b>
    <i>{ $prompt }</i>
checkin-answer_label = <b>{ $name }</b>
checkin-empty = Diese Nachricht sieht leer aus. Schreib ein paar Worte, wann immer du so weit bist.
checkin-closed_reply = Dieser Check-in ist geschlossen, deshalb wurde das nicht hinzugefügt. Es kommt ein nächster.
checkin-media = Ich kann vorerst nur Textantworten aufbewahren. Magst du deine Antwort als Nachricht schreiben?
checkin-forwarded = Das sieht weitergeleitet aus, deshalb habe ich es nicht als Antwort behalten: Ein Check-in ist für deine eigenen Worte. Magst du es in einer eigenen Nachricht schreiben?
checkin-no_round = Gerade ist kein Check-in offen. Sende /checkin, um einen zu starten, oder /help für mehr.
checkin-closed = Dieser Check-in hat sich geschlossen, bevor ihr beide geantwortet habt, deshalb wurden die Antworten ungelesen gelöscht. Das ist in Ordnung. Es kommt ein nächster.
checkin-reminder =
    Eine sanfte Erinnerung: Dieser Check-in ist noch ein paar Stunden offen.
    <i>{ $prompt }</i>

    Antworte, wann immer du magst, oder lass diesen einfach vorbeiziehen.

## options
options-current =
    { $summary }
    { $keep }
    { $phone }

    Zum Ändern:
    <code>/options Fenster 12</code> – Stunden, die ein Check-in offen bleibt ({ $min } bis { $max })
    <code>/options Erinnerung 3</code> – Stunden vor dem Schließen für eine sanfte Erinnerung
    <code>/options Erinnerung aus</code> – keine Erinnerung
    <code>/options behalten 90</code> – aufgedeckte Antworten 30, 90 oder 365 Tage behalten, oder <code>immer</code>
    <code>/options diskret an</code> – für ein geteiltes Handy: keine privaten Worte in einer Nachricht mit Ton
    <code>/options ruhe 22:00-08:00</code> – Ruhezeit, oder <code>aus</code>
options-summary = Check-ins bleiben { $window } offen, mit einer sanften Erinnerung { $reminder } vor dem Schließen.
options-summary_no_reminder = Check-ins bleiben { $window } offen, ohne Erinnerung.
options-saved = Erledigt. { $summary } Das gilt ab dem nächsten Check-in.
options-invalid = Das konnte ich nicht übernehmen. Ein Check-in bleibt { $min } bis { $max } offen, und eine Erinnerung kommt frühestens eine Stunde nach dem Öffnen. Zum Beispiel: <code>/options Fenster 24</code> oder <code>/options Erinnerung aus</code>
options-partner_changed = { $partner } hat eure Check-in-Optionen geändert. { $summary } Das gilt ab dem nächsten Check-in.
options-keep_days = Deine aufgedeckten Antworten werden { $days } lang aufbewahrt und dann gelöscht.
options-keep_forever = Deine aufgedeckten Antworten werden aufbewahrt, bis du sie löschst.
options-keep_saved = Erledigt. { $keep } Hat die andere Person eine kürzere Zeit gewählt, gilt ihre für euch beide.
options-keep_invalid = Aufgedeckte Antworten lassen sich 30, 90 oder 365 Tage oder für immer behalten. Zum Beispiel: <code>/options behalten 90</code> oder <code>/options behalten immer</code>
options-partner_keep = { $partner } hat geändert, wie lange aufgedeckte Antworten aufbewahrt werden: { $keep } Für euch beide gilt die kürzere eurer beiden Zeiten.
options-discreet_on = Der diskrete Modus ist an: Die Nachricht, bei der dein Handy klingelt, sagt nur, dass etwas wartet, und Nachrichten mit privaten Worten kommen lautlos.
options-discreet_off = Der diskrete Modus ist aus.
options-quiet = Ruhezeit: { $from } bis { $until } in deiner Zeitzone. Dann kommen Nachrichten ohne Ton.
options-quiet_off = Keine Ruhezeit: Nachrichten kommen jederzeit mit Ton.
options-phone_invalid = Das konnte ich nicht verwenden. Zum Beispiel: <code>/options diskret an</code>, <code>/options ruhe 22:00-07:30</code> oder <code>/options ruhe aus</code>
options-phone_saved = Erledigt. { $setting }
delivery-neutral = In Steady wartet etwas Neues auf dich.

## schedule
schedule-offer = Möchtet ihr jeden Tag um 20:00 einen Check-in? Jede und jeder bekommt ihn um 20:00 in der eigenen Zeitzone. Mit /schedule lässt sich das jederzeit ändern.
schedule-accept_default = Ja, jeden Tag um 20:00
schedule-choose = Tage und Uhrzeit wählen
schedule-every_day = jeden Tag um { $time }
schedule-weekdays = werktags um { $time }
schedule-on_days = { $days } um { $time }
schedule-off_summary = aus
schedule-current =
    Check-ins kommen { $summary }, in der Zeitzone von jeder und jedem (deine: { $zone }).
    { $next }
    Wähle unten Tage und eine Uhrzeit, oder sende zum Beispiel <code>/schedule Mo Mi Fr 20:30</code>, <code>/schedule täglich 21:00</code> oder <code>/schedule aus</code>.
schedule-none = Noch kein Check-in-Plan. Wähle unten Tage und eine Uhrzeit, oder sende zum Beispiel <code>/schedule täglich 20:00</code>.
schedule-next = Dein nächster: { $when }.
schedule-next_none = Gerade steht kein Check-in an.
schedule-paused_note = Check-ins sind pausiert { $until }.
schedule-saved = Erledigt: Check-ins kommen jetzt { $summary }. Dein nächster: { $when }.
schedule-saved_off = Erledigt: Geplante Check-ins sind aus. /checkin funktioniert trotzdem jederzeit.
schedule-partner_changed = { $partner } hat euren Check-in-Plan geändert: { $summary }, in deiner eigenen Zeitzone.
schedule-invalid = Das konnte ich nicht lesen. Versuch zum Beispiel <code>/schedule täglich 21:00</code>, <code>/schedule Mo Mi Fr 20:30</code>, <code>/schedule werktags 20:00</code> oder <code>/schedule aus</code>.
schedule-pick_days = Tippe die gewünschten Tage an, dann eine Uhrzeit (in der eigenen Zeitzone von jeder und jedem):
schedule-other_time = Sende die gewünschten Tage und die Uhrzeit, zum Beispiel <code>/schedule Mo Do 21:15</code>.
schedule-other = Andere Uhrzeit
schedule-off_button = Ausschalten
schedule-already_set = Euer Plan steht schon. /schedule zeigt ihn.

## timezone
timezone-ask = Eine Kleinigkeit noch: In welcher Zeitzone bist du? Check-ins kommen zur gewählten Uhrzeit in deiner eigenen Zone. Sende zum Beispiel <code>/timezone Europe/Berlin</code>, <code>/timezone Wien</code> oder <code>/timezone UTC+1</code>, oder tippe /timezone für die häufigsten.
timezone-current = Deine Zeitzone ist { $zone } (dort ist es gerade { $now }). Zum Ändern tippe unten eine an, oder sende zum Beispiel <code>/timezone Europe/Zurich</code>, eine Stadt oder <code>/timezone UTC+1</code>.
timezone-unset = Deine Zeitzone kenne ich noch nicht, deshalb nehme ich { $zone }. Tippe unten eine an, oder sende zum Beispiel <code>/timezone Europe/Berlin</code>, eine Stadt wie <code>/timezone Tokyo</code> oder einen Abstand wie <code>/timezone UTC+1</code>.
timezone-saved = Alles klar: Deine Zeitzone ist { $zone } (dort ist es gerade { $now }).
timezone-invalid = Diese Zeitzone kenne ich nicht. Versuch einen Namen wie <code>Europe/Berlin</code> oder <code>America/Chicago</code>, eine Stadt wie <code>London</code> oder <code>Tokyo</code>, oder einen Abstand wie <code>UTC+1</code>.

## pause
pause-paused = Check-ins sind pausiert { $until }. Nimm dir die Zeit, die du brauchst. /resume holt sie zurück.
pause-until_resumed = bis du sie fortsetzt
pause-until_date = bis { $date }
pause-resumed = Check-ins sind wieder an. Dein nächster: { $when }.
pause-skipping = Der nächste Check-in wird ausgelassen. Der danach kommt wie gewohnt.
pause-not_paused = Check-ins sind gerade nicht pausiert.
pause-no_schedule = Es gibt keinen Check-in-Plan zum Pausieren. /schedule legt einen an.
pause-invalid = Dieses Datum konnte ich nicht lesen. Sende <code>/pause</code>, um bis zum Fortsetzen zu pausieren, oder zum Beispiel <code>/pause 2026-12-24</code> oder <code>/pause 3 Tage</code>.
pause-partner_paused = { $partner } hat eure Check-ins vorerst pausiert. /schedule zeigt die Details.
pause-partner_resumed = { $partner } hat eure Check-ins fortgesetzt.
pause-partner_skipped = { $partner } möchte den nächsten Check-in auslassen. Der danach kommt wie gewohnt.

## reach
reach-partner_unreachable = Steady erreicht { $partner } gerade nicht; vielleicht ist der Bot pausiert oder blockiert. Was dorthin gehen soll, wartet höchstens { $days } lang auf die Rückkehr, und eure aufgedeckten Check-ins bleiben in /history. Du musst nichts tun.
reach-expired_while_away = Willkommen zurück. Während du weg warst, haben einige Nachrichten von Steady länger als { $days } gewartet und wurden losgelassen. Jeder aufgedeckte Check-in ist weiter in /history: Keine gemeinsame Antwort ist verloren.

## repair
repair-not_paired = Nach einem schweren Moment hilft Steady euch beiden, eine echte Pause zu machen und zurückzufinden. Das geht, sobald ihr verbunden seid: Sende /pair, um die andere Person einzuladen.
repair-choose = Das klingt schwer. Eine echte Pause hilft: mindestens { $min }, damit dein Körper zur Ruhe kommt. Wie lange brauchst du? Ich sage der anderen Seite behutsam, wann du zurück bist.
repair-length_20m = 20 Minuten
repair-length_1h = 1 Stunde
repair-length_3h = 3 Stunden
repair-length_morning = Morgen früh
repair-started =
    Deine Pause dauert bis { $time }. Ich habe Bescheid gegeben, ganz ohne Vorwurf.

    Versuch jetzt, dich zu beruhigen, statt den Streit im Kopf zu wiederholen: langsam atmen, ein kurzer Spaziergang, etwas Wasser, Musik, die du magst. Es ist in Ordnung zu fühlen, was du fühlst.
repair-replaced = Ich habe deine Pause geändert: Sie dauert jetzt bis { $time } (eine Pause dauert höchstens { $max }). Die andere Seite weiß Bescheid.
repair-partner_break = { $partner } braucht nach einem schweren Moment eine Pause und kommt gegen { $time } zurück. Von dir ist gerade nichts nötig; eine Pause kann euch beiden helfen. Sei bis dahin gut zu dir.
repair-partner_updated = { $partner } braucht etwas länger und kommt gegen { $time } zurück.
repair-partner_more_time = { $partner } braucht noch etwas Zeit. Ich melde mich gegen { $time } bei euch beiden.
repair-nudge =
    Die Pause ist vorbei. Wenn es sich stimmig anfühlt, hier ein paar behutsame Wege zurück zu { $partner }: Tippe einen an, um ihn zu senden.

    Und ganz privat: Bist du bereit zu reden? Ich sage es euch erst, wenn ihr beide bereit seid.
repair-phrase_0 = Ich bin jetzt ruhiger.
repair-phrase_1 = Ich brauche noch etwas, um ruhiger zu werden.
repair-phrase_2 = Es tut mir leid.
repair-phrase_3 = Lass uns gemeinsam ein Ja finden.
repair-phrase_4 = Ich schätze dich.
repair-phrase_received = { $partner } schickt dir: <i>{ $phrase }</i>
repair-phrase_sent = Gesendet.
repair-ready_button = Ich bin bereit zu reden
repair-more_button = Ich brauche noch etwas Zeit
repair-ready_ack = Danke. Ich sage euch beiden Bescheid, wenn ihr beide bereit seid.
repair-both_ready =
    <b>Ihr seid beide bereit zu reden.</b>
    Geht behutsam vor: abwechselnd, erst zuhören, und von euch selbst sprechen („Ich fühle…“) statt über den anderen Menschen. Wenn es wieder hitzig wird, ist eine weitere Pause mit /conflict in Ordnung.
repair-more_ack = Natürlich. Nimm dir die Zeit, die du brauchst; ich melde mich gegen { $time } wieder.
repair-at_limit = Diese Pause hat ihre { $max } erreicht. Wenn ihr könnt, hilft oft ein kurzes, behutsames Gespräch, und sei es nur, um zu vereinbaren, wann ihr richtig redet.
repair-care = Ihr hattet diese Woche ein paar schwere Momente. Das kommt vor, und es braucht Mut, immer wieder aufeinander zuzugehen. Genau dabei kann eine Paartherapie helfen: { $help }
repair-care_default_help = Deine Hausarztpraxis oder eine Beratungsstelle vor Ort kann dir jemanden empfehlen.

## guided
guided-offer_button = Ein geführtes Gespräch beginnen
guided-prompt =
    <b>Geführtes Gespräch, Schritt { $step } von { $total }</b>
    { $question }

    <i>Antworte privat mit einer Nachricht. { $partner } sieht sie erst, wenn ihr beide geantwortet habt. Du kannst bei jedem Schritt aufhören.</i>
guided-stop_button = Hier aufhören
guided-step_1 = Was hast du gefühlt? Erst einmal nur Gefühle, kein „warum“: verletzt, ängstlich, einsam, wütend, traurig…
guided-step_2 = Was hast du passieren sehen? Und ein Teil der Sicht der anderen Seite, den du nachvollziehen kannst.
guided-step_3 = Was hat das in dir von früher berührt: eine alte Verletzung, eine Angst, etwas aus deiner Vergangenheit?
guided-step_4 = Welcher Teil des Geschehens ist deiner? Wenn es passt, eine Entschuldigung für deinen Teil.
guided-step_5 = Was ist eine Sache, die du beim nächsten Mal anders machst?
guided-partner_waiting = { $partner } hat diesen Schritt beantwortet. Die Antwort zeigt sich, sobald du deine ergänzt hast, ganz ohne Eile.
guided-done = Ihr seid alle fünf Schritte gemeinsam gegangen. Das ist echte Versöhnungsarbeit. Seid jetzt gut zu euch.
guided-stopped = { $partner } hat das geführte Gespräch hier beendet. Das ist in Ordnung: Ihr könnt auf eure eigene Art reden oder nach einer weiteren Pause darauf zurückkommen.
guided-stopped_me = Beendet. Die Antworten zu diesem Schritt wurden ungelesen gelöscht. Ihr könnt auf eure eigene Art reden, wann immer ihr so weit seid.
guided-started = Hier ist der erste Schritt.
guided-already = Euer geführtes Gespräch hat schon begonnen.
guided-closed = Dieser Schritt hat sich geschlossen, bevor ihr beide geantwortet habt, deshalb wurden die Antworten ungelesen gelöscht. Ihr könnt auf eure eigene Art reden, wann immer ihr so weit seid.

## history
history-entry_title = <i>{ $prompt }</i>
history-empty = Hier ist noch nichts. Check-ins erscheinen hier, sobald ihr beide geantwortet habt.
history-more = Ältere zeigen
history-removed_partner = Die andere Person
history-removed_answer = (auf eigenen Wunsch gelöscht)

## fallback
fallback-unknown_command = Diesen Befehl kenne ich nicht. Sende /help, um zu sehen, was ich kann.
fallback-edited_command = Ich führe einen Befehl so aus, wie er zuerst gesendet wurde, deshalb ändert diese Bearbeitung nichts. Wenn etwas geändert werden soll, zeigt dir /help, wie.
fallback-forwarded_command = Dieser Befehl sieht weitergeleitet aus, deshalb habe ich ihn nicht ausgeführt: Es könnten die Worte von jemand anderem sein. Wenn du ihn wirklich möchtest, sende ihn selbst.
fallback-unexpected_text = Ich erwarte gerade keine Nachricht. Sende /help, um zu sehen, was ich kann.
fallback-unexpected_media = Ich kann vorerst nur mit Text arbeiten. Sende /help, um zu sehen, was ich kann.
fallback-stale_button = Diese Schaltfläche ist nicht mehr aktiv.
fallback-group = Ich arbeite nur in privaten Chats, damit das, was du teilst, zwischen euch beiden bleibt. Schreib mir bitte direkt: { $link }
fallback-group_button = Meine Schaltflächen funktionieren nur in unserem privaten Chat, damit alles zwischen euch beiden bleibt.

## errors
errors-generic = Entschuldige, bei mir ist etwas schiefgelaufen. Nichts von dem, was du gesendet hast, ist verloren. Bitte versuch es gleich noch einmal.

## language
language-name = Deutsch
language-current = Steady spricht mit dir { $name }. Wähle unten eine andere Sprache: Jede und jeder liest Steady in der eigenen Sprache.
language-saved = Erledigt: Steady spricht jetzt { $name } mit dir.
language-auto = Wie meine Telegram-App
language-saved_auto = Erledigt: Steady folgt der Sprache deiner Telegram-App ({ $name }).

## stats
stats-text =
    <b>Steady auf einen Blick</b>
    Verbundene Paare: { $couples }
    Diese Woche aktive Paare: { $active }
    Nachrichten in der Warteschlange: { $queued }
    Nicht zustellbare Nachrichten: { $undeliverable }
    Letzter Takt des Planers: { $last_tick }
    Größe der Datenbank: { $size }
stats-last_tick_ago = vor { $seconds } s
stats-last_tick_never = noch nicht
stats-size_mb = { $mb } MB
stats-size_unknown = unbekannt
