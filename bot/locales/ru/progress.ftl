## progress (/progress, the weekly summary, the weekly opt-ins)
commands-progress = Ваши последние недели на картинке
units-weeks =
    { $count ->
     [one] { $count } неделя
     [few] { $count } недели
    *[other] { $count } недель
    }
formats-week = d MMM
progress-not_paired = /progress показывает ваши недели вместе. Это работает, когда вы в паре: отправьте /pair, чтобы пригласить партнёра.
progress-chart_title = Ваши последние { $weeks } вместе
progress-chart_empty = Пока тихий период. Каждая неделя — новое начало.
progress-rating_axis = Чувство безопасности (1–5)
progress-series_checkins = Ответы вдвоём
progress-series_conflicts = Паузы после трудного момента
progress-series_repairs = Снова вместе, оба готовы
progress-series_safety = Насколько безопасно было { $person }
progress-summary_empty = Пока нечего показать за последние { $weeks }, и это нормально: тихие недели — тоже часть пути. Каждый вопрос, на который вы оба ответите, появится здесь.
progress-summary_title = Ваши последние { $weeks } словами:
progress-summary_count = • { $name }: { $count }
progress-summary_rating = • { $name }: { $rated ->
        [one] оценка за { $rated } неделю
        [few] оценки за { $rated } недели
       *[other] оценки за { $rated } недель
    }, последняя — { $latest } из 5
progress-summary_close = Исцеление не идёт по прямой. Каждая неделя, когда вы рядом друг с другом, важна.
progress-weekly_caption = Ваша неделя со Steady.
    { $summary }
progress-invite_weekly = { $partner } хочет получать по воскресеньям вечером картинку ваших недель вместе. Если вы тоже хотите, отправьте /options weekly on. Она приходит, только когда вы оба этого хотите.
progress-invite_rating = { $partner } хочет раз в неделю короткий вопрос: насколько безопасно вам было друг с другом. Ответы скрыты, пока не ответите оба. Если вы тоже хотите, отправьте /options rating on.
progress-weekly_on = Итоги недели: вкл. Они приходят по воскресеньям вечером, пока вы оба этого хотите.
progress-weekly_waiting = Итоги недели: включены для вас. Они начнутся, когда партнёр тоже их включит; я ему сообщил.
progress-weekly_off = Итоги недели: выкл.
progress-rating_on = Вопрос о безопасности: вкл. Он приходит в день вашего вопроса, пока вы оба этого хотите.
progress-rating_waiting = Вопрос о безопасности: включён для вас. Он начнётся, когда партнёр тоже его включит; я ему сообщил.
progress-rating_off = Вопрос о безопасности: выкл.
progress-choice_invalid = Отправьте /options weekly on или /options weekly off (или то же с rating). /options rating вс выбирает день вопроса о безопасности.
progress-options_line = Итоги недели (/options weekly on|off): { $weekly }. Вопрос о безопасности (/options rating on|off): { $rating }.
progress-on = вкл
progress-off = выкл
ratings-question = Насколько безопасно вы чувствовали себя друг с другом на этой неделе? От 1 (совсем небезопасно) до 5 (полностью безопасно). Ваш ответ скрыт, пока не ответите оба.
ratings-option-1 = 1
ratings-option-2 = 2
ratings-option-3 = 3
ratings-option-4 = 4
ratings-option-5 = 5
ratings-day_changed = { $partner } перенёс(ла) еженедельный вопрос о безопасности на { $day }.
ratings-day_saved = Теперь вопрос о безопасности приходит в { $day }.
progress-series_promises_kept = Выполненные обещания, как их видит { $person }
