### Primeros pasos tras una ruptura de la confianza (bot/firststeps.py). Las palabras más
### delicadas de Steady: reconocer, nunca culpar, dejar sitio al dolor, respetar el soltar.

commands-firststeps = Primeros pasos tras una ruptura de la confianza

## La oferta
firststeps-offer =
    <b>Primeros pasos</b>
    Cuando se ha roto la confianza, la reparación empieza con tres pasos pequeños, dados juntos: cada uno nombra lo que pasó, asumen la responsabilidad y cuentan cómo dolió, y luego deciden juntos si quieren reconstruir. Un paso al día, y cada respuesta es privada hasta que los dos hayan respondido.
    ¿Quieres empezar? Solo empieza cuando los dos digan que sí, y puedes parar en cualquier momento.
firststeps-begin_daily = Sí, un paso al día
firststeps-begin_ready = Sí, cuando los dos estemos listos
firststeps-not_now = Ahora no
firststeps-pace_daily = un paso al día a las { $time }, cada uno en su propia zona horaria
firststeps-pace_ready = cada paso en cuanto los dos hayan respondido el anterior
firststeps-partner_asks =
    { $partner } quiere empezar contigo los <b>primeros pasos</b>: { $pace }.
    ¿Y tú? No hay prisa, y «ahora no» también es una buena respuesta.
firststeps-asked = Gracias. Se lo he preguntado a { $partner }; los primeros pasos empiezan cuando los dos digan que sí.
firststeps-waiting = Ya has dicho que sí. Los primeros pasos empiezan cuando { $partner } también diga que sí; mientras tanto no necesitas hacer nada.
firststeps-begins =
    Los dos han dicho que sí. Gracias por estar aquí; eso requiere valor.
    Los primeros pasos llegarán { $pace }. El primero llega ahora. Puedes parar en cualquier momento desde /firststeps.
firststeps-started = Los dos han dicho que sí: empiezan los primeros pasos.
firststeps-declined = Está bien. Puedes empezar los primeros pasos cuando quieras con /firststeps.
firststeps-partner_declined = { $partner } prefiere no empezar los primeros pasos ahora mismo. Está bien; cualquiera de los dos puede empezarlos cuando quiera con /firststeps.
firststeps-not_paired = Los primeros pasos son para los dos, así que funcionan cuando estén emparejados: envía /pair para invitar a tu pareja.
firststeps-help_line = /firststeps – primeros pasos tras una ruptura de la confianza: reconocer, asumir la responsabilidad, decidir juntos
firststeps-help_button = Primeros pasos tras una ruptura

## En marcha
firststeps-status =
    Los <b>primeros pasos</b> están en marcha: { $stage ->
        [0] cada uno elige, en privado, cómo ve su parte.
        [1] paso 1 de 3, nombrar lo que pasó.
        [2] paso 2 de 3, la responsabilidad y cómo dolió.
       *[other] paso 3 de 3, decidir juntos.
    }
    Llegan { $pace }. Cambia la hora con /firststeps 21:30. Puedes parar en cualquier momento; lo que aún no se ha compartido se borra sin leer.
firststeps-stop_button = Parar los primeros pasos
firststeps-stopped = Los primeros pasos están parados. Lo que aún no se había compartido se borró sin leer. Puedes volver a empezar cuando quieras con /firststeps.
firststeps-partner_stopped = { $partner } ha parado los primeros pasos por ahora. Lo que aún no se había compartido se borró sin leer. Parar está bien; pueden volver a empezar cuando quieran con /firststeps.
firststeps-time_usage = Envía la hora a la que quieres recibir los primeros pasos, por ejemplo /firststeps 21:30.
firststeps-nothing_under_way = Ahora mismo no hay primeros pasos en marcha. Envía /firststeps para empezar.
firststeps-time_set = Hecho: los primeros pasos llegan ahora a esa hora, cada uno en su propia zona horaria. Se lo he dicho a { $partner }.
firststeps-partner_time = { $partner } ha cambiado los primeros pasos a las { $time }, en tu propia zona horaria.
firststeps-reminder = Un recordatorio amable: te espera un primer paso, cuando estés listo o lista. No hay plazo. Responde al mensaje del paso para contestar.

## Roles (opcionales, elegidos en privado, mostrados juntos)
firststeps-roles_question =
    Primeros pasos: antes de empezar
    ¿Qué encaja mejor contigo? Da forma a cómo se formulan los próximos pasos; «Prefiero no decirlo» está completamente bien.
firststeps-role-hurt = Sobre todo me hirieron a mí
firststeps-role-caused = Sobre todo causé yo el daño
firststeps-role-both = Es mutuo
firststeps-role-private = Prefiero no decirlo
firststeps-roles_split = Gracias a los dos. Los próximos pasos están formulados para eso: { $caused } asume la responsabilidad, y { $hurt } tiene espacio para decir cómo dolió.
firststeps-roles_both = Gracias a los dos. En los próximos pasos cada uno hará ambas cosas: asumir la responsabilidad de su parte y contar cómo le afectó. Verlo de forma distinta es común, y aquí nadie necesita tener razón.

## Los tres pasos
firststeps-step_1 =
    Primeros pasos, paso 1 de 3: reconocer
    Con tus propias palabras, nombra lo que pasó. Solo lo que pasó, lo más sencillo que puedas; todavía no hace falta explicarlo ni defenderlo.
firststeps-step_2_split =
    Primeros pasos, paso 2 de 3: responsabilidad e impacto
    { $caused }: escribe de qué asumes la responsabilidad. Sin «pero», sin justificarlo: solo lo que hiciste y que dolió.
    { $hurt }: escribe cómo te afectó y qué necesitas ahora.
firststeps-step_2_both =
    Primeros pasos, paso 2 de 3: responsabilidad e impacto
    Cada uno: escribe de qué asumes la responsabilidad, sin «pero» y sin justificarlo. Luego escribe cómo te afectó y qué necesitas ahora.
firststeps-step_3 =
    Primeros pasos, paso 3 de 3: decidir juntos
    ¿Quieres reconstruir la confianza juntos? Responde solo por ti.
firststeps-decide-yes = Sí
firststeps-decide-unsure = Aún no lo sé
firststeps-decide-no = No

## Después de decidir
firststeps-both_yes =
    Los dos quieren reconstruir la confianza juntos. Eso importa, y es un comienzo, no una meta.
    Tres formas suaves de seguir, cuando estén listos:
firststeps-next_schedule_button = Planear check-ins regulares
firststeps-next_promise_button = Hacer una primera promesa pequeña
firststeps-next_agree_button = Hacer un primer acuerdo
firststeps-next_promise = Una primera promesa pequeña es algo que puedes cumplir esta semana. Envía /promise para hacer una.
firststeps-next_agree = Un primer acuerdo es algo a lo que los dos dicen que sí. Envía /agree para proponer uno.
firststeps-unsure =
    Al menos uno de ustedes aún no está seguro, y está bien. La confianza se reconstruye despacio, y la paciencia es parte de ello.
    Les preguntaré a los dos otra vez dentro de una semana. Hasta entonces, no necesitan hacer nada.
firststeps-no =
    Uno de ustedes no quiere reconstruir juntos, al menos no ahora. Es una respuesta honesta y merece respeto; nadie tiene la culpa por responder con sinceridad.
    Los check-ins programados quedan en pausa. Su emparejamiento no termina por sí solo, y nada aquí presionará a ninguno de los dos para quedarse.
firststeps-letting_go =
    <b>Soltar</b> también es un desenlace respetable. Cuando estés listo o lista, esto es tuyo:
    /unpair – terminar el emparejamiento
    /export – guardar una copia de tus datos
    /delete – borrar tus datos de Steady
    Hablar con un terapeuta individual puede ayudarte a atravesar esto, venga lo que venga. Si alguien no se siente a salvo, contacta con los servicios de emergencia locales; /help tiene la línea de crisis.
