## agreements: boundaries and expectations you both accepted, in the same words

commands-agree = Предложить договорённость
commands-agreements = Ваши договорённости

agreement-usage = Напишите договорённость после команды, своими словами: <code>/agree Мы говорим друг другу, когда меняются планы</code>. Она действует, когда партнёр её примет.
agreement-not_paired = Договорённости создаются вдвоём: сначала отправьте /pair, чтобы пригласить партнёра.
agreement-too_long = Для договорённости это длинно (не больше { $most } символов). Одно-два предложения легче соблюдать.
agreement-unknown = Не знаю такой договорённости, или она уже закрыта. /agreements покажет ваши с номерами.
agreement-proposed = Отправлено ({ $partner }): «{ $text }». Договорённость начнёт действовать, когда партнёр примет эти слова.
agreement-partner_proposed = { $partner } предлагает договорённость (#{ $number }): «{ $text }». Она действует, только когда вы её примете. Можно предложить другие слова или отказаться: и то и другое нормально.
agreement-partner_changed = { $partner } предлагает другие слова для договорённости #{ $number }: «{ $text }». Она действует, когда вы примете эти слова.
agreement-partner_revised = { $partner } предлагает новые слова для договорённости #{ $number }: «{ $text }». Пока вы их не примете, договорённость остаётся прежней.
agreement-accept_button = Принять
agreement-change_button = Предложить другие слова
agreement-decline_button = Мягко отказаться
agreement-accepted = Принято: «{ $text }» — теперь ваша договорённость ({ $partner } и вы).
agreement-accepted_proposer = { $partner } принимает: «{ $text }» — теперь одна из ваших договорённостей.
agreement-declined = Отказ отправлен. { $partner } узнает об этом бережно. Не обязательно соглашаться во всём.
agreement-declined_proposer = { $partner } пока не хочет договариваться о «{ $text }» в таком виде. Это нормально; может быть, поговорите, что подошло бы вам обоим.
agreement-how_to_change = Отправьте свои слова так: <code>/agree #{ $number } ваши слова</code>. Затем партнёр решит, принять ли их.
agreement-how_to_revise = Отправьте новые слова так: <code>/agree #{ $number } новые слова</code>. Пока партнёр их не примет, договорённость остаётся прежней.
agreement-retire_asked = Вы предложили завершить «{ $text }». Она действует, пока { $partner } не подтвердит.
agreement-partner_retire = { $partner } хочет завершить договорённость «{ $text }». Она действует, пока вы не подтвердите.
agreement-retire_yes = Завершить
agreement-retire_no = Пока оставить
agreement-retired = Завершено: «{ $text }». Она остаётся в вашей истории.
agreement-retired_asker = { $partner } подтверждает: «{ $text }» завершена. Она остаётся в вашей истории.
agreement-kept = Вы оставили «{ $text }». Может быть, стоит поговорить ({ $partner } и вы) о том, что не работает.
agreement-kept_asker = { $partner } хочет пока оставить «{ $text }». Может быть, поговорите о том, что для вас не работает.
agreement-none = Договорённостей пока нет. Предложите свою, своими словами: <code>/agree …</code>
agreement-list_title = <b>Ваши договорённости</b>
agreement-line_active = #{ $number } «{ $text }» (с { $since })
agreement-line_changed = { $count ->
    [one] (изменена { $count } раз)
    [few] (изменена { $count } раза)
   *[other] (изменена { $count } раз)
}
agreement-line_revision = ждут ответа новые слова: «{ $text }»
agreement-line_retiring = предложено завершить; действует, пока оба не подтвердят
agreement-line_proposed = #{ $number } «{ $text }»: ждёт вашего ответа
agreement-line_proposed_mine = #{ $number } «{ $text }»: ждёт ответа партнёра
agreement-revise_short = Изменить: { $text }
agreement-retire_short = Завершить: { $text }

# The monthly review (bot.asks): on when both opt in with /options review on.
review-ask = Эта договорённость всё ещё работает для вас? «{ $text }»
review-option-working = Работает
review-option-adjust = Стоит подправить
review-option-talk = Нужно поговорить
review-talk = Кому-то из вас кажется, что о «{ $text }» нужно поговорить. Без упрёков: договорённости растут вместе с вами. Найдите спокойную минуту вдвоём или начните с /checkin.
review-on_waiting = Ежемесячный взгляд на договорённости включён для вас. Он начнётся, когда { $partner } тоже его включит.
review-on_both = У вас обоих включён ежемесячный взгляд на договорённости: раз в месяц я спрошу каждого отдельно, работает ли каждая договорённость, и покажу оба ответа вместе.
review-off = Ежемесячный взгляд на договорённости выключен.
review-partner_on = { $partner } хочет раз в месяц бережно смотреть на ваши договорённости. Если вы тоже хотите: <code>/options review on</code>
review-partner_off = { $partner } выключает ежемесячный взгляд на договорённости.
review-invalid = Напишите <code>/options review on</code> или <code>/options review off</code>.
review-option_line = <code>/options review on</code> – бережный ежемесячный взгляд на договорённости, когда вы оба его включите (сейчас: { $state })
review-state_on = вкл
review-state_off = выкл
