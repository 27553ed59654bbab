"""Examples for the teams that win and keep customers: sales, marketing, customer success."""

from __future__ import annotations

from .model import (
    ASPIRATIONAL,
    COMMITTED,
    DAYS,
    DEPARTMENT,
    PCT,
    PER_MONTH,
    SCORE_5,
    SCORE_10,
    TEAM,
    USD,
    Entry,
    above,
    below,
    down,
    measure,
    reach,
    t,
    up,
)

SALES = (
    Entry(
        slug="sales-faster-deals",
        function="sales",
        level=TEAM,
        type=COMMITTED,
        title=t(
            "Win deals faster without buying speed with discounts",
            "更快赢单，而不是拿折扣换速度",
            "Cerrar ventas más rápido sin comprar velocidad con descuentos",
        ),
        why=t(
            "Long sales cycles tie the team up on a handful of deals and turn the forecast into a "
            "guess. We want buyers to decide sooner because we make deciding easy for them, not "
            "because we keep lowering the price.",
            "销售周期太长，团队被少数几单拖住，业绩预测也只能靠猜。我们希望客户更早拍板，"
            "是因为我们让决策变得简单，而不是因为我们一再降价。",
            "Los ciclos de venta largos atan al equipo a unas pocas oportunidades y convierten la "
            "previsión en una apuesta. Queremos que el cliente decida antes porque le facilitamos "
            "la decisión, no porque bajemos el precio una y otra vez.",
        ),
        key_results=(
            down(
                48,
                35,
                DAYS,
                t(
                    "Cut the median lead-to-close time from 48 to 35 days",
                    "将线索到成交的中位周期从 48 天缩短到 35 天",
                    "Reducir la mediana del tiempo hasta el cierre de 48 a 35 días",
                ),
            ),
            up(
                22,
                30,
                PCT,
                t(
                    "Raise the win rate on qualified opportunities from 22% to 30%",
                    "将合格商机的赢单率从 22% 提高到 30%",
                    "Subir la tasa de éxito en oportunidades cualificadas del 22 % al 30 %",
                ),
            ),
            below(
                12,
                PCT,
                t(
                    "Keep the average discount on closed deals below 12%",
                    "已成交订单的平均折扣始终低于 12%",
                    "Mantener el descuento medio de las ventas cerradas por debajo del 12 %",
                ),
            ),
        ),
        plans=(
            t(
                "Agree a dated close plan with the buyer on every deal past the demo",
                "演示之后的每一单都与客户约定带日期的成交计划",
                "Acordar con el comprador un plan de cierre con fechas en cada venta tras la demo",
            ),
            t(
                "Review the five oldest open deals in Monday's pipeline meeting",
                "在周一的商机会上逐一过最久未关闭的五个商机",
                "Revisar las cinco oportunidades abiertas más antiguas en la reunión del lunes",
            ),
            t(
                "Note the objection that stalled each lost deal and share the pattern on Friday",
                "记录每个丢单卡在哪条异议上，周五分享规律",
                "Anotar la objeción que frenó cada venta perdida y compartir el patrón el viernes",
            ),
        ),
        note=t(
            "Speed is paired with a keep-below key result on discounts, so the target cannot be "
            "met by giving margin away. Every key result is an outcome with a number; the close "
            "plans are the weekly actions that move them.",
            "“速度”配了一条“折扣保持在某值以下”的关键结果，团队无法靠让利达标。每条关键结果都是"
            "带数字的结果，成交计划则是推动它们的每周行动。",
            "La velocidad va acompañada de un resultado clave que limita los descuentos, así que "
            "no se puede llegar a la meta regalando margen. Cada resultado clave es un resultado "
            "medible; los planes de cierre son las acciones semanales que lo mueven.",
        ),
    ),
    Entry(
        slug="sales-pipeline-fit",
        function="sales",
        level=TEAM,
        type=COMMITTED,
        title=t(
            "Fill our pipeline with buyers who truly fit",
            "让销售漏斗里都是真正合适的客户",
            "Llenar el embudo de compradores que de verdad encajan",
        ),
        why=t(
            "Half of last quarter's opportunities were dropped after the first call. Chasing "
            "poor fits wastes the time we need for the buyers we can actually help.",
            "上个季度有一半商机在第一次通话后就被放弃。追着不合适的客户跑，浪费了本该用在"
            "真正能帮到的客户身上的时间。",
            "La mitad de las oportunidades del trimestre pasado se descartaron tras la primera "
            "llamada. Perseguir clientes que no encajan nos quita el tiempo que necesitamos para "
            "los que sí podemos ayudar.",
        ),
        key_results=(
            up(
                "2.1",
                3,
                measure("× target", "倍于目标", "× objetivo"),
                t(
                    "Raise qualified pipeline coverage from 2.1× to 3× the quarterly target",
                    "将合格商机覆盖率从季度目标的 2.1 倍提高到 3 倍",
                    "Subir la cobertura del embudo cualificado de 2,1 a 3 veces el objetivo "
                    "trimestral",
                ),
            ),
            up(
                45,
                70,
                PCT,
                t(
                    "Grow the share of opportunities matching our ideal profile from 45% to 70%",
                    "将符合理想客户画像的商机占比从 45% 提高到 70%",
                    "Aumentar del 45 % al 70 % las oportunidades que encajan con el cliente ideal",
                ),
            ),
            down(
                40,
                20,
                PCT,
                t(
                    "Cut opportunities disqualified after the first call from 40% to 20%",
                    "将首次通话后即被判定不合格的商机比例从 40% 降到 20%",
                    "Reducir del 40 % al 20 % las oportunidades descartadas tras la primera "
                    "llamada",
                ),
            ),
        ),
        plans=(
            t(
                "Add the five fit questions to the lead form and the first-call script",
                "把五个匹配度问题加入线索表单和首次通话话术",
                "Añadir las cinco preguntas de encaje al formulario y al guion de la primera "
                "llamada",
            ),
            t(
                "Sit with marketing every Thursday to review last week's inbound leads",
                "每周四和市场部一起复盘上周的入站线索",
                "Revisar con marketing cada jueves los contactos entrantes de la semana anterior",
            ),
        ),
        note=t(
            "Pipeline volume alone is a vanity number. These key results measure fit and "
            "coverage, outcomes the team can move week by week instead of restating the revenue "
            "KPI.",
            "单看漏斗总量只是虚荣指标。这些关键结果衡量的是匹配度和覆盖率，团队每周都能推动，"
            "而不是把收入 KPI 再抄一遍。",
            "El volumen del embudo por sí solo es un número de vanidad. Estos resultados clave "
            "miden encaje y cobertura, algo que el equipo puede mover cada semana en lugar de "
            "repetir el KPI de ingresos.",
        ),
    ),
    Entry(
        slug="sales-expansion",
        function="sales",
        level=TEAM,
        type=ASPIRATIONAL,
        title=t(
            "Make our best customers want to grow with us",
            "让最好的客户愿意和我们一起成长",
            "Que nuestros mejores clientes quieran crecer con nosotros",
        ),
        why=t(
            "Growing with customers who already trust us costs a fraction of winning new ones, "
            "and it is the clearest proof that the product earns its place.",
            "和已经信任我们的客户一起增长，成本只是开拓新客户的零头，也最能证明产品真的有价值。",
            "Crecer con clientes que ya confían en nosotros cuesta una fracción de lo que cuesta "
            "ganar clientes nuevos, y es la prueba más clara de que el producto se gana su sitio.",
        ),
        key_results=(
            up(
                104,
                115,
                PCT,
                t(
                    "Lift net revenue retention from 104% to 115%",
                    "将净收入留存率从 104% 提升到 115%",
                    "Elevar la retención neta de ingresos del 104 % al 115 %",
                ),
            ),
            up(
                180000,
                300000,
                USD,
                t(
                    "Grow quarterly expansion revenue from $180k to $300k",
                    "将季度增购收入从 18 万美元增长到 30 万美元",
                    "Aumentar los ingresos por ampliación de 180.000 a 300.000 US$ al trimestre",
                ),
            ),
            up(
                18,
                30,
                PCT,
                t(
                    "Raise the share of accounts using two or more products from 18% to 30%",
                    "将使用两款及以上产品的客户占比从 18% 提高到 30%",
                    "Subir del 18 % al 30 % las cuentas que usan dos productos o más",
                ),
            ),
        ),
        plans=(
            t(
                "Run a value review with the ten largest accounts before their renewal month",
                "在续约月之前，与前十大客户各做一次价值回顾",
                "Hacer una revisión de valor con las diez cuentas mayores antes de su renovación",
            ),
            t(
                "Ask customer success every week which accounts hit their usage limits",
                "每周向客户成功团队了解哪些客户已触及用量上限",
                "Preguntar cada semana a éxito del cliente qué cuentas rozan sus límites de uso",
            ),
        ),
        note=t(
            "An aspirational objective: reaching about 0.7 of these targets is a success, and a "
            "full 1.0 would suggest the bar was set too low. The key results measure what "
            "customers do, not how many calls we make.",
            "这是一个挑战型目标：达成约 0.7 就算成功，拿到 1.0 反而说明目标定低了。关键结果衡量的"
            "是客户的行为，而不是我们打了多少电话。",
            "Objetivo aspiracional: llegar a cerca de 0,7 ya es un éxito, y un 1,0 indicaría que "
            "el listón estaba bajo. Los resultados clave miden lo que hacen los clientes, no "
            "cuántas llamadas hacemos.",
        ),
    ),
    Entry(
        slug="sales-new-region",
        function="sales",
        level=TEAM,
        type=ASPIRATIONAL,
        title=t(
            "Earn a real foothold with customers in Latin America",
            "在拉美市场真正站稳脚跟",
            "Ganarnos un lugar real entre los clientes de Latinoamérica",
        ),
        why=t(
            "Inbound interest from Latin America doubled without any effort on our side. If we "
            "serve those buyers well now, the region can become our second home market.",
            "我们没有投入任何力气，拉美的主动询盘就翻了一番。如果现在把这些客户服务好，这个地区"
            "有望成为我们的第二个本土市场。",
            "El interés entrante desde Latinoamérica se duplicó sin que hiciéramos nada. Si "
            "atendemos bien a esos compradores ahora, la región puede ser nuestro segundo "
            "mercado natural.",
        ),
        key_results=(
            reach(
                25,
                measure("customers", "家客户", "clientes"),
                t(
                    "Reach 25 paying customers in the region",
                    "该地区付费客户达到 25 家",
                    "Alcanzar 25 clientes de pago en la región",
                ),
            ),
            up(
                40000,
                400000,
                USD,
                t(
                    "Grow qualified regional pipeline from $40k to $400k",
                    "将该地区的合格商机金额从 4 万美元增长到 40 万美元",
                    "Aumentar el embudo cualificado de la región de 40.000 a 400.000 US$",
                ),
            ),
            above(
                "8.5",
                SCORE_10,
                t(
                    "Keep new regional customers' onboarding rating above 8.5 out of 10",
                    "新签拉美客户的上手体验评分保持在 8.5 分以上（满分 10）",
                    "Mantener la valoración del arranque de los nuevos clientes por encima de "
                    "8,5 sobre 10",
                ),
            ),
        ),
        plans=(
            t(
                "Call back every regional inbound lead within one working day",
                "所有拉美入站线索在一个工作日内回电",
                "Devolver la llamada a cada contacto entrante de la región en un día hábil",
            ),
            t(
                "Translate the three most-used sales documents and test them with two prospects",
                "翻译三份最常用的销售材料，并请两位潜在客户试读",
                "Traducir los tres documentos de venta más usados y probarlos con dos prospectos",
            ),
        ),
        note=t(
            "A moonshot for a new market: the team expects to land around 0.6–0.7 and learn a "
            "lot. A keep-above key result protects the experience of the first customers while "
            "we chase growth.",
            "这是开拓新市场的登月目标：团队预期拿到 0.6–0.7，并在过程中学到很多。“保持在某值以上”"
            "的关键结果保证了我们追求增长时，首批客户的体验不被牺牲。",
            "Un objetivo muy ambicioso para un mercado nuevo: el equipo espera llegar a 0,6–0,7 y "
            "aprender mucho. El resultado de mantener la valoración protege a los primeros "
            "clientes mientras buscamos crecer.",
        ),
    ),
    Entry(
        slug="sales-forecast-accuracy",
        function="sales",
        level=DEPARTMENT,
        type=COMMITTED,
        title=t(
            "A sales forecast the whole company can plan on",
            "给公司一个可以据此做计划的销售预测",
            "Una previsión de ventas con la que toda la empresa pueda planificar",
        ),
        why=t(
            "Hiring, cash and product bets all depend on what sales expects to close. A forecast "
            "that misses by a quarter of its value makes every other plan fragile.",
            "招聘、现金和产品投入都取决于销售预计能签下多少。预测偏差高达四分之一，其他所有计划"
            "都会变得脆弱。",
            "Las contrataciones, la caja y las apuestas de producto dependen de lo que ventas "
            "espera cerrar. Una previsión que falla en una cuarta parte vuelve frágil cualquier "
            "otro plan.",
        ),
        key_results=(
            down(
                28,
                10,
                PCT,
                t(
                    "Cut the gap between forecast and actual bookings from 28% to 10%",
                    "将预测与实际签约额的偏差从 28% 降到 10%",
                    "Reducir la desviación entre previsión y contratos reales del 28 % al 10 %",
                ),
            ),
            up(
                55,
                90,
                PCT,
                t(
                    "Raise open deals with a dated next step from 55% to 90%",
                    "将有明确日期的下一步行动的在途商机占比从 55% 提高到 90%",
                    "Subir del 55 % al 90 % las oportunidades abiertas con un siguiente paso "
                    "fechado",
                ),
            ),
            below(
                15,
                PCT,
                t(
                    "Keep deals slipping into the next quarter below 15%",
                    "滑到下个季度的商机比例保持在 15% 以下",
                    "Mantener por debajo del 15 % las ventas que se deslizan al trimestre "
                    "siguiente",
                ),
            ),
        ),
        plans=(
            t(
                "Compare each rep's call with the actual result every Friday",
                "每周五对比每位销售的预判与实际结果",
                "Comparar cada viernes la previsión de cada comercial con el resultado real",
            ),
            t(
                "Agree one definition of 'commit' across all sales teams",
                "在所有销售团队中统一“承诺签约”的定义",
                "Acordar una única definición de «compromiso firme» en todos los equipos",
            ),
        ),
        note=t(
            "A department objective that the sales teams' own OKRs can align to. Its key results "
            "are leading outcomes (next steps, slippage) that managers can influence weekly, "
            "rather than a revenue figure they can only watch.",
            "这是一个部门级目标，各销售团队的 OKR 可以与之对齐。关键结果是经理们每周都能影响的"
            "领先指标（下一步行动、滑单），而不是只能旁观的收入数字。",
            "Un objetivo de departamento al que pueden alinearse los OKR de cada equipo de "
            "ventas. Sus resultados clave son indicadores adelantados (siguientes pasos, "
            "deslizamientos) que los responsables influyen cada semana.",
        ),
    ),
    Entry(
        slug="sales-new-reps-ramp",
        function="sales",
        level=TEAM,
        type=COMMITTED,
        title=t(
            "Help new sellers become confident and productive sooner",
            "让新销售更快建立信心、拿出业绩",
            "Ayudar a los nuevos comerciales a ganar confianza y rendir antes",
        ),
        why=t(
            "We are hiring six sellers this half. Every month a new rep spends without closing "
            "is lost revenue and a hit to their confidence.",
            "今年下半年我们要招六名销售。新人每多一个月不出单，既损失收入，也打击他们的信心。",
            "Este semestre contratamos a seis comerciales. Cada mes que un recién llegado pasa "
            "sin cerrar es ingreso perdido y un golpe a su confianza.",
        ),
        key_results=(
            down(
                120,
                75,
                DAYS,
                t(
                    "Cut the time from a new rep's start to their first closed deal from 120 to "
                    "75 days",
                    "将新销售从入职到首单的时间从 120 天缩短到 75 天",
                    "Reducir de 120 a 75 días el tiempo hasta la primera venta de un comercial "
                    "nuevo",
                ),
            ),
            up(
                40,
                70,
                PCT,
                t(
                    "Raise new reps reaching quota in their second quarter from 40% to 70%",
                    "将第二个季度即达成业绩指标的新销售比例从 40% 提高到 70%",
                    "Subir del 40 % al 70 % los comerciales nuevos que cumplen cuota en su "
                    "segundo trimestre",
                ),
            ),
            up(
                "2.8",
                "3.8",
                SCORE_5,
                t(
                    "Lift new reps' average call-review score from 2.8 to 3.8 out of 5",
                    "将新销售的通话复盘平均分从 2.8 提高到 3.8（满分 5）",
                    "Elevar la nota media de revisión de llamadas de 2,8 a 3,8 sobre 5",
                ),
            ),
        ),
        plans=(
            t(
                "Pair every new rep with a senior seller for two live calls a week",
                "为每位新人配一名资深销售，每周一起打两通真实电话",
                "Emparejar a cada comercial nuevo con uno veterano para dos llamadas reales "
                "a la semana",
            ),
            t(
                "Review one recorded call per new rep every Wednesday",
                "每周三为每位新人复盘一通录音电话",
                "Revisar cada miércoles una llamada grabada de cada comercial nuevo",
            ),
            t(
                "Keep a shared list of the questions new reps could not answer",
                "维护一份新人答不上来的问题清单，大家共享",
                "Mantener una lista compartida de las preguntas que los nuevos no supieron "
                "responder",
            ),
        ),
        note=t(
            "Training sessions and shadowing are plans, not key results. The key results measure "
            "what the training should change: time to first deal, quota attainment, call "
            "quality.",
            "培训和跟岗是计划，不是关键结果。关键结果衡量的是培训应带来的变化：首单时间、达标率、"
            "通话质量。",
            "Las formaciones y el acompañamiento son planes, no resultados clave. Los resultados "
            "clave miden lo que la formación debería cambiar: tiempo a la primera venta, cuota, "
            "calidad de las llamadas.",
        ),
    ),
)

MARKETING = (
    Entry(
        slug="marketing-demand-sales-wants",
        function="marketing",
        level=TEAM,
        type=COMMITTED,
        title=t(
            "Bring in demand that sales is glad to receive",
            "带来让销售团队乐于接手的需求",
            "Generar demanda que ventas reciba con ganas",
        ),
        why=t(
            "Sales rejects almost half of the leads we pass on. Volume that nobody follows up "
            "costs money and erodes trust between the two teams.",
            "我们交给销售的线索有近一半被退回。没人跟进"
            "的线索数量既花钱，又损害两个团队之间的信任。",
            "Ventas rechaza casi la mitad de los contactos que le pasamos. El volumen que nadie "
            "sigue cuesta dinero y desgasta la confianza entre los dos equipos.",
        ),
        key_results=(
            up(
                55,
                75,
                PCT,
                t(
                    "Raise the share of our leads accepted by sales from 55% to 75%",
                    "将被销售接受的线索占比从 55% 提高到 75%",
                    "Subir del 55 % al 75 % los contactos que ventas acepta",
                ),
            ),
            up(
                120,
                180,
                PER_MONTH,
                t(
                    "Grow inbound demo requests from 120 to 180 a month",
                    "将主动申请演示的数量从每月 120 个增加到 180 个",
                    "Aumentar las solicitudes de demo entrantes de 120 a 180 al mes",
                ),
            ),
            down(
                310,
                220,
                USD,
                t(
                    "Cut the cost per sales-accepted lead from $310 to $220",
                    "将每条销售认可线索的成本从 310 美元降到 220 美元",
                    "Reducir el coste por contacto aceptado por ventas de 310 a 220 US$",
                ),
            ),
        ),
        plans=(
            t(
                "Agree the lead acceptance criteria with the sales leads this week",
                "本周与销售负责人敲定线索接收标准",
                "Acordar esta semana los criterios de aceptación con los jefes de ventas",
            ),
            t(
                "Pause the two channels with the lowest acceptance rate and test one new one",
                "暂停接受率最低的两个渠道，并试一个新渠道",
                "Pausar los dos canales con menor aceptación y probar uno nuevo",
            ),
        ),
        note=t(
            "“Run three campaigns” would count tasks. These key results measure whether the "
            "campaigns worked: leads sales accepts, demand that arrives on its own, and cost.",
            "“做三场活动”只是在数任务。这些关键结果衡量的是活动有没有奏效：被销售接受的线索、"
            "主动上门的需求，以及成本。",
            "«Hacer tres campañas» contaría tareas. Estos resultados clave miden si las campañas "
            "funcionaron: contactos que ventas acepta, demanda que llega sola y coste.",
        ),
    ),
    Entry(
        slug="marketing-organic-search",
        function="marketing",
        level=TEAM,
        type=COMMITTED,
        title=t(
            "Become the answer people find when they search for our problem",
            "让人们搜索相关问题时，找到的答案就是我们",
            "Ser la respuesta que la gente encuentra cuando busca nuestro problema",
        ),
        why=t(
            "Buyers start with a search, not with a salesperson. Today competitors own the "
            "results for the problems we solve best.",
            "客户的第一步是搜索，而不是找销售。如今，在我们最擅长解决的问题上，搜索结果被竞争对手"
            "占着。",
            "Los compradores empiezan con una búsqueda, no con un comercial. Hoy la competencia "
            "ocupa los resultados de los problemas que mejor resolvemos.",
        ),
        key_results=(
            up(
                18000,
                30000,
                measure("visits a month", "次访问/月", "visitas al mes"),
                t(
                    "Grow organic visits to our solution pages from 18,000 to 30,000 a month",
                    "将解决方案页面的自然搜索访问量从每月 18000 次提高到 30000 次",
                    "Aumentar las visitas orgánicas a las páginas de soluciones de 18.000 a "
                    "30.000 al mes",
                ),
            ),
            up(
                240,
                400,
                PER_MONTH,
                t(
                    "Raise sign-ups that come from organic search from 240 to 400 a month",
                    "将来自自然搜索的注册数从每月 240 个提高到 400 个",
                    "Subir los registros que llegan por búsqueda orgánica de 240 a 400 al mes",
                ),
            ),
            reach(
                15,
                measure("search terms", "个关键词", "términos"),
                t(
                    "Reach the top three results for 15 of our 40 priority search terms",
                    "40 个重点关键词中有 15 个进入搜索结果前三",
                    "Llegar al top 3 en 15 de nuestros 40 términos de búsqueda prioritarios",
                ),
            ),
        ),
        plans=(
            t(
                "Rewrite the two solution pages with the highest impressions and lowest clicks",
                "改写展示量最高、点击率最低的两个解决方案页面",
                "Reescribir las dos páginas de soluciones con más impresiones y menos clics",
            ),
            t(
                "Ask support for the ten questions customers ask most and answer them on the site",
                "向客服要来客户最常问的十个问题，并在网站上给出回答",
                "Pedir a soporte las diez preguntas más frecuentes y responderlas en la web",
            ),
        ),
        note=t(
            "“Improve SEO” is the classic output key result. Asking “why?” leads to the "
            "outcomes: more of the right visitors, more sign-ups, better rankings on the terms "
            "that matter.",
            "“优化 SEO”是典型的产出型关键结果。多问几次“为什么”，就能找到真正的结果：更多合适的"
            "访客、更多注册、重要关键词的排名更靠前。",
            "«Mejorar el SEO» es el resultado clave de tarea por excelencia. Preguntar «¿para "
            "qué?» lleva a los resultados: más visitantes adecuados, más registros y mejores "
            "posiciones en los términos que importan.",
        ),
    ),
    Entry(
        slug="marketing-brand-familiar",
        function="marketing",
        level=TEAM,
        type=ASPIRATIONAL,
        title=t(
            "Make our name familiar to the operations leaders we serve",
            "让我们服务的运营负责人都熟悉我们的名字",
            "Que los líderes de operaciones que atendemos conozcan nuestro nombre",
        ),
        why=t(
            "When a buyer has never heard of us, every deal starts from zero. Familiarity "
            "shortens the sales cycle and lifts the response to everything else we do.",
            "如果客户从没听说过我们，每一单都得从零开始。知名度能缩短销售周期，也让我们做的其他"
            "一切事情都更有回应。",
            "Cuando un comprador nunca ha oído hablar de nosotros, cada venta empieza de cero. "
            "Ser conocidos acorta el ciclo de venta y mejora la respuesta a todo lo demás.",
        ),
        key_results=(
            up(
                12,
                25,
                PCT,
                t(
                    "Lift aided awareness among surveyed operations leaders from 12% to 25%",
                    "在受访的运营负责人中，将提示后品牌认知度从 12% 提升到 25%",
                    "Elevar el reconocimiento asistido entre líderes de operaciones encuestados "
                    "del 12 % al 25 %",
                ),
            ),
            up(
                9000,
                15000,
                measure("visits a month", "次访问/月", "visitas al mes"),
                t(
                    "Grow direct visits to our site from 9,000 to 15,000 a month",
                    "将网站直接访问量从每月 9000 次提高到 15000 次",
                    "Aumentar las visitas directas a la web de 9.000 a 15.000 al mes",
                ),
            ),
            up(
                4000,
                8000,
                measure("subscribers", "位订阅者", "suscriptores"),
                t(
                    "Double newsletter subscribers from 4,000 to 8,000",
                    "将简报订阅人数从 4000 人翻倍到 8000 人",
                    "Duplicar los suscriptores del boletín de 4.000 a 8.000",
                ),
            ),
        ),
        plans=(
            t(
                "Pitch one customer story a week to the two trade newsletters our buyers read",
                "每周向目标客户常读的两份行业简报投一个客户故事",
                "Proponer cada semana una historia de cliente a los dos boletines del sector que "
                "leen nuestros compradores",
            ),
            t(
                "Ask every new sign-up where they first heard of us",
                "询问每位新注册用户最初是从哪里知道我们的",
                "Preguntar a cada nuevo registro dónde oyó hablar de nosotros por primera vez",
            ),
        ),
        note=t(
            "Brand work is often written as activities (“attend five fairs”). Here a survey "
            "measures awareness directly, and direct visits and subscribers show it week by "
            "week. Aspirational: 0.7 is a good result.",
            "品牌工作常被写成活动（“参加五场展会”）。这里用调查直接衡量认知度，再用直接访问和"
            "订阅人数按周观察变化。挑战型目标：0.7 就是好成绩。",
            "El trabajo de marca suele escribirse como actividades («ir a cinco ferias»). Aquí "
            "una encuesta mide el reconocimiento y las visitas directas y los suscriptores lo "
            "muestran semana a semana. Aspiracional: 0,7 es un buen resultado.",
        ),
    ),
    Entry(
        slug="marketing-feature-adoption",
        function="marketing",
        level=TEAM,
        type=COMMITTED,
        title=t(
            "Get existing customers excited about the new reports",
            "让老客户为新的报表功能感到兴奋",
            "Que los clientes actuales se entusiasmen con los nuevos informes",
        ),
        why=t(
            "The new reports answer the request we hear most in renewals. If customers never "
            "discover them, the work will not show up where it matters: in retention.",
            "新报表回应的正是我们在续约时听到最多的诉求。如果客户发现不了它，这些投入就不会体现在"
            "最关键的地方：留存。",
            "Los nuevos informes responden a la petición que más oímos en las renovaciones. Si "
            "los clientes no los descubren, el trabajo no se notará donde importa: en la "
            "retención.",
        ),
        key_results=(
            up(
                5,
                35,
                PCT,
                t(
                    "Raise the share of active accounts using reports weekly from 5% to 35%",
                    "将每周使用报表的活跃客户占比从 5% 提高到 35%",
                    "Subir del 5 % al 35 % las cuentas activas que usan los informes cada semana",
                ),
            ),
            up(
                "2.5",
                5,
                PCT,
                t(
                    "Double the click-through on product announcements from 2.5% to 5%",
                    "将产品公告的点击率从 2.5% 翻倍到 5%",
                    "Duplicar el porcentaje de clics en los anuncios de producto del 2,5 % al 5 %",
                ),
            ),
            down(
                80,
                30,
                PER_MONTH,
                t(
                    "Cut “how do I…” tickets about reports from 80 to 30 a month",
                    "将关于报表的“怎么用”类工单从每月 80 张降到 30 张",
                    "Reducir las consultas de «¿cómo hago…?» sobre informes de 80 a 30 al mes",
                ),
            ),
        ),
        plans=(
            t(
                "Show the reports in a two-minute video inside the product",
                "在产品内用两分钟视频演示报表功能",
                "Mostrar los informes en un vídeo de dos minutos dentro del producto",
            ),
            t(
                "Give customer success a ready-made reports walkthrough for their calls",
                "给客户成功团队准备一份现成的报表讲解，供通话时使用",
                "Dar a éxito del cliente una guía lista de los informes para sus llamadas",
            ),
        ),
        note=t(
            "Releasing the feature is a plan. The key results describe what the announcement "
            "should change: usage, attention and fewer confused customers.",
            "把功能放出来只是计划。关键结果描述的是宣传应带来的变化：使用率、关注度，以及更少的"
            "困惑客户。",
            "Poner la función en manos de los clientes es un plan. Los resultados clave "
            "describen lo que el anuncio debe cambiar: uso, atención y menos clientes confundidos.",
        ),
    ),
    Entry(
        slug="marketing-events-conversations",
        function="marketing",
        level=TEAM,
        type=COMMITTED,
        title=t(
            "Turn our events into real conversations, not badge scans",
            "让活动带来真正的对话，而不只是扫工牌",
            "Que los eventos traigan conversaciones reales, no fichas escaneadas",
        ),
        why=t(
            "Events take a third of our budget, yet few of the contacts they produce ever talk "
            "to sales. We want fewer, better conversations with the accounts we target.",
            "活动占了我们三分之一的预算，但带来的联系人很少真正和销售谈过。我们要的是与目标客户"
            "更少但更好的对话。",
            "Los eventos se llevan un tercio del presupuesto y, aun así, pocos de sus contactos "
            "llegan a hablar con ventas. Queremos menos conversaciones, pero mejores, con las "
            "cuentas objetivo.",
        ),
        key_results=(
            up(
                30,
                60,
                measure("meetings", "次会议", "reuniones"),
                t(
                    "Double meetings with target accounts that come from events, from 30 to 60",
                    "将活动带来的目标客户会面从 30 次翻倍到 60 次",
                    "Duplicar las reuniones con cuentas objetivo que salen de eventos, de 30 a 60",
                ),
            ),
            up(
                150000,
                350000,
                USD,
                t(
                    "Grow pipeline sourced at events from $150k to $350k",
                    "将活动来源的商机金额从 15 万美元提高到 35 万美元",
                    "Aumentar el embudo generado en eventos de 150.000 a 350.000 US$",
                ),
            ),
            down(
                4000,
                2500,
                USD,
                t(
                    "Cut the cost per event-sourced opportunity from $4,000 to $2,500",
                    "将每个活动来源商机的成本从 4000 美元降到 2500 美元",
                    "Reducir el coste por oportunidad de eventos de 4.000 a 2.500 US$",
                ),
            ),
        ),
        plans=(
            t(
                "Book meetings with target accounts two weeks before each event",
                "每场活动前两周就约好与目标客户的会面",
                "Concertar reuniones con las cuentas objetivo dos semanas antes de cada evento",
            ),
            t(
                "Hand every event conversation to sales within 48 hours, with notes",
                "活动中的每次对话都在 48 小时内连同记录交给销售",
                "Pasar cada conversación del evento a ventas en 48 horas, con notas",
            ),
        ),
        note=t(
            "“Attend five conferences” is a to-do item. The key results count what the events "
            "produce for the business, and a cost key result stops the team from buying "
            "results.",
            "“参加五场会议”只是待办事项。关键结果衡量的是活动为业务带来了什么，成本类关键结果则"
            "防止团队花钱买结果。",
            "«Ir a cinco congresos» es una tarea. Los resultados clave miden lo que los eventos "
            "aportan al negocio, y el de coste evita que el equipo compre los resultados.",
        ),
    ),
    Entry(
        slug="marketing-content-trust",
        function="marketing",
        level=TEAM,
        type=ASPIRATIONAL,
        title=t(
            "Earn readers' trust with guides they actually use",
            "用真正有用的指南赢得读者信任",
            "Ganarnos la confianza de los lectores con guías que de verdad usan",
        ),
        why=t(
            "We publish a lot, yet most readers leave after one page. Content that people come "
            "back to is what turns strangers into buyers who already trust us.",
            "我们发了很多内容，但大多数读者看一页就走。让人愿意反复回来看的内容，才能把陌生人变成"
            "信任我们的买家。",
            "Publicamos mucho, pero la mayoría de lectores se va tras una página. El contenido al "
            "que la gente vuelve es el que convierte a desconocidos en compradores que ya "
            "confían en nosotros.",
        ),
        key_results=(
            up(
                18,
                30,
                PCT,
                t(
                    "Raise the share of returning readers from 18% to 30%",
                    "将回访读者占比从 18% 提高到 30%",
                    "Subir la proporción de lectores que vuelven del 18 % al 30 %",
                ),
            ),
            up(
                "1.5",
                3,
                measure("minutes", "分钟", "minutos"),
                t(
                    "Double the average reading time on guides from 1.5 to 3 minutes",
                    "将指南的平均阅读时长从 1.5 分钟翻倍到 3 分钟",
                    "Duplicar el tiempo medio de lectura de las guías de 1,5 a 3 minutos",
                ),
            ),
            up(
                90,
                180,
                PER_MONTH,
                t(
                    "Grow sign-ups that start from a guide from 90 to 180 a month",
                    "将从指南页面开始的注册数从每月 90 个提高到 180 个",
                    "Aumentar los registros que empiezan en una guía de 90 a 180 al mes",
                ),
            ),
        ),
        plans=(
            t(
                "Turn the three most-read posts into step-by-step guides with templates",
                "把阅读量最高的三篇文章改成附带模板的分步指南",
                "Convertir los tres artículos más leídos en guías paso a paso con plantillas",
            ),
            t(
                "Interview two readers a week about what they did after reading",
                "每周访谈两位读者，了解他们读完之后做了什么",
                "Entrevistar a dos lectores por semana sobre qué hicieron después de leer",
            ),
        ),
        note=t(
            "“Publish four posts a week” would only count output. These key results ask whether "
            "readers found the content useful enough to return, stay and sign up.",
            "“每周发四篇文章”只是在数产出。这些关键结果问的是：读者是否觉得内容有用到愿意回来、"
            "停留并注册。",
            "«Publicar cuatro artículos por semana» solo contaría producción. Estos resultados "
            "clave preguntan si a los lectores les sirvió lo bastante para volver, quedarse y "
            "registrarse.",
        ),
    ),
)

CUSTOMER_SUCCESS = (
    Entry(
        slug="cs-reduce-churn",
        function="customer_success",
        level=TEAM,
        type=COMMITTED,
        title=t(
            "Keep customers so successful that leaving never crosses their mind",
            "让客户持续成功，根本不会想到离开",
            "Que los clientes tengan tanto éxito que ni se planteen irse",
        ),
        why=t(
            "Churn rose for three months in a row. Each customer we lose takes a year of "
            "acquisition effort with them and tells others why they left.",
            "流失率已连续三个月上升。每流失一个客户，就带走了一年的获客投入，还会告诉别人他们为何"
            "离开。",
            "La pérdida de clientes ha subido tres meses seguidos. Cada cliente que se va se "
            "lleva un año de esfuerzo comercial y cuenta a otros por qué se fue.",
        ),
        key_results=(
            down(
                "2.4",
                "1.5",
                PCT,
                t(
                    "Cut monthly customer churn from 2.4% to 1.5%",
                    "将月度客户流失率从 2.4% 降到 1.5%",
                    "Reducir la pérdida mensual de clientes del 2,4 % al 1,5 %",
                ),
            ),
            up(
                55,
                70,
                PCT,
                t(
                    "Raise the share of accounts with a healthy score from 55% to 70%",
                    "将健康度评分为良好的客户占比从 55% 提高到 70%",
                    "Subir del 55 % al 70 % las cuentas con buena puntuación de salud",
                ),
            ),
            up(
                82,
                90,
                PCT,
                t(
                    "Lift the renewal rate from 82% to 90%",
                    "将续约率从 82% 提升到 90%",
                    "Elevar la tasa de renovación del 82 % al 90 %",
                ),
            ),
        ),
        plans=(
            t(
                "Call every account whose health score dropped last week",
                "给上周健康度下降的每个客户打电话",
                "Llamar a cada cuenta cuya puntuación de salud bajó la semana pasada",
            ),
            t(
                "Start renewal conversations 90 days ahead for the top 30 accounts",
                "提前 90 天与前 30 大客户开启续约沟通",
                "Empezar la conversación de renovación 90 días antes con las 30 cuentas mayores",
            ),
            t(
                "Share the top three cancellation reasons with product every Friday",
                "每周五向产品团队同步排名前三的退订原因",
                "Compartir cada viernes con producto los tres motivos de baja más frecuentes",
            ),
        ),
        note=t(
            "A committed objective with one lagging key result (churn) and two leading ones "
            "(health, renewals) the team can move every week. The calls are plans, never key "
            "results.",
            "这是一个承诺型目标：一条滞后指标（流失率）加两条团队每周都能推动的领先指标（健康度、"
            "续约）。打电话是计划，而不是关键结果。",
            "Objetivo comprometido con un resultado clave de efecto (pérdida de clientes) y dos "
            "adelantados (salud, renovaciones) que el equipo mueve cada semana. Las llamadas son "
            "planes, nunca resultados clave.",
        ),
    ),
    Entry(
        slug="cs-first-month-win",
        function="customer_success",
        level=TEAM,
        type=COMMITTED,
        title=t(
            "Make every new customer's first month a clear win",
            "让每位新客户的第一个月都有明确收获",
            "Que el primer mes de cada cliente nuevo sea un éxito claro",
        ),
        why=t(
            "Customers who see value in their first month renew at twice the rate of those who "
            "do not. Today onboarding drags on and many never get there.",
            "第一个月就看到价值的客户，续约率是其他客户的两倍。而现在，上手过程拖得太久，很多客户"
            "始终没走到那一步。",
            "Los clientes que ven valor en su primer mes renuevan el doble que los demás. Hoy la "
            "puesta en marcha se alarga y muchos nunca llegan a verlo.",
        ),
        key_results=(
            down(
                35,
                14,
                DAYS,
                t(
                    "Cut the time from signature to first value from 35 to 14 days",
                    "将从签约到首次获得价值的时间从 35 天缩短到 14 天",
                    "Reducir el tiempo entre la firma y el primer valor de 35 a 14 días",
                ),
            ),
            up(
                48,
                75,
                PCT,
                t(
                    "Raise new customers reaching their agreed first goal within 30 days from "
                    "48% to 75%",
                    "将 30 天内达成约定首要目标的新客户比例从 48% 提高到 75%",
                    "Subir del 48 % al 75 % los clientes nuevos que logran su primer objetivo "
                    "pactado en 30 días",
                ),
            ),
            up(
                "8.1",
                9,
                SCORE_10,
                t(
                    "Lift onboarding satisfaction from 8.1 to 9.0 out of 10",
                    "将上手阶段满意度从 8.1 提升到 9.0（满分 10）",
                    "Elevar la satisfacción con la puesta en marcha de 8,1 a 9,0 sobre 10",
                ),
            ),
        ),
        plans=(
            t(
                "Agree one measurable first goal with each new customer at the kick-off call",
                "在启动会上与每位新客户约定一个可衡量的首要目标",
                "Pactar con cada cliente nuevo un primer objetivo medible en la reunión de "
                "arranque",
            ),
            t(
                "Check the onboarding board every Monday and unblock the slowest three accounts",
                "每周一查看上手看板，为进度最慢的三个客户扫清障碍",
                "Revisar el tablero de arranque cada lunes y desbloquear las tres cuentas más "
                "lentas",
            ),
        ),
        note=t(
            "Each key result says where we start and where we want to be. “Run kick-off calls” "
            "would be an output; the time to first value is the outcome those calls exist for.",
            "每条关键结果都写明了起点和终点。“开启动会”只是产出；首次获得价值的时间才是这些会议"
            "存在的意义。",
            "Cada resultado clave dice de dónde partimos y adónde queremos llegar. «Hacer "
            "reuniones de arranque» sería una tarea; el tiempo hasta el primer valor es el "
            "resultado que buscan.",
        ),
    ),
    Entry(
        slug="cs-advocates",
        function="customer_success",
        level=TEAM,
        type=ASPIRATIONAL,
        title=t(
            "Turn happy customers into our loudest advocates",
            "让满意的客户成为我们最响亮的代言人",
            "Convertir a los clientes contentos en nuestros mejores altavoces",
        ),
        why=t(
            "Referred customers close faster and stay longer than any other kind. Many of our "
            "customers like us; few have ever been asked to say so.",
            "转介绍来的客户成交更快、留存更久。很多客户喜欢我们，却很少有人被邀请说出来。",
            "Los clientes recomendados cierran antes y se quedan más que cualquier otro. Muchos "
            "clientes nos aprecian, pero a pocos se les ha pedido que lo digan.",
        ),
        key_results=(
            up(
                32,
                50,
                measure("NPS", "NPS", "NPS"),
                t(
                    "Raise NPS from 32 to 50",
                    "将 NPS 从 32 提升到 50",
                    "Subir el NPS de 32 a 50",
                ),
            ),
            up(
                8,
                25,
                measure("referrals", "个推荐", "recomendaciones"),
                t(
                    "Grow customer referrals from 8 to 25 a quarter",
                    "将每季度客户推荐数从 8 个增加到 25 个",
                    "Aumentar las recomendaciones de clientes de 8 a 25 por trimestre",
                ),
            ),
            reach(
                12,
                measure("customers", "家客户", "clientes"),
                t(
                    "Reach 12 customers willing to speak publicly about their results",
                    "愿意公开分享成果的客户达到 12 家",
                    "Llegar a 12 clientes dispuestos a contar sus resultados en público",
                ),
            ),
        ),
        plans=(
            t(
                "Thank every promoter personally within a week of their survey answer",
                "在推荐者填写问卷后一周内亲自致谢",
                "Agradecer en persona a cada promotor en la semana de su respuesta",
            ),
            t(
                "Offer two promoters a week an easy way to refer a peer",
                "每周向两位推荐者提供一个简便的转介绍方式",
                "Ofrecer cada semana a dos promotores una forma sencilla de recomendarnos",
            ),
        ),
        note=t(
            "Aspirational on purpose: tripling referrals is a stretch, and 0.7 would still be a "
            "big step. A reach key result is fine when the starting point is hard to count.",
            "有意设为挑战型：推荐数增至三倍很难，做到 0.7 也已是一大步。起点难以统计时，用“达到”型"
            "关键结果就很合适。",
            "Aspiracional a propósito: triplicar las recomendaciones es un reto, y un 0,7 ya "
            "sería un gran paso. Un resultado de tipo «alcanzar» sirve cuando el punto de "
            "partida es difícil de contar.",
        ),
    ),
    Entry(
        slug="cs-use-what-they-pay-for",
        function="customer_success",
        level=TEAM,
        type=COMMITTED,
        title=t(
            "Help every account use what it already pays for",
            "帮每个客户用好已经付费的功能",
            "Ayudar a cada cuenta a aprovechar lo que ya paga",
        ),
        why=t(
            "Unused seats are the first thing a finance team cuts at renewal. Accounts that use "
            "several core features almost never leave.",
            "闲置的席位是财务团队续约时第一个砍掉的。使用多个核心功能的客户几乎从不流失。",
            "Las licencias sin usar son lo primero que recorta finanzas al renovar. Las cuentas "
            "que usan varias funciones clave casi nunca se van.",
        ),
        key_results=(
            up(
                61,
                80,
                PCT,
                t(
                    "Raise licence utilisation from 61% to 80%",
                    "将许可证使用率从 61% 提高到 80%",
                    "Subir el uso de licencias del 61 % al 80 %",
                ),
            ),
            up(
                35,
                55,
                PCT,
                t(
                    "Grow accounts using three or more core features from 35% to 55%",
                    "将使用三个及以上核心功能的客户占比从 35% 提高到 55%",
                    "Aumentar del 35 % al 55 % las cuentas que usan tres o más funciones clave",
                ),
            ),
            down(
                90,
                30,
                measure("accounts", "个客户", "cuentas"),
                t(
                    "Cut accounts with no admin sign-in for 30 days from 90 to 30",
                    "将 30 天内管理员未登录的客户数从 90 个降到 30 个",
                    "Reducir de 90 a 30 las cuentas sin acceso de un administrador en 30 días",
                ),
            ),
        ),
        plans=(
            t(
                "Send each admin a short usage summary with one suggestion every month",
                "每月给每位管理员发一份简短的使用概况，并附一条建议",
                "Enviar cada mes a cada administrador un resumen de uso con una sugerencia",
            ),
            t(
                "Offer a 20-minute feature tour to accounts below 50% utilisation",
                "为使用率低于 50% 的客户提供 20 分钟功能导览",
                "Ofrecer un recorrido de 20 minutos a las cuentas con menos del 50 % de uso",
            ),
        ),
        note=t(
            "Adoption is a leading outcome for renewals: the team can move it weekly, long "
            "before the renewal date shows the result.",
            "使用深度是续约的领先指标：远在续约日揭晓结果之前，团队每周就能推动它。",
            "La adopción es un indicador adelantado de las renovaciones: el equipo puede moverla "
            "cada semana, mucho antes de que la fecha de renovación muestre el resultado.",
        ),
    ),
    Entry(
        slug="cs-small-customers-digital",
        function="customer_success",
        level=TEAM,
        type=ASPIRATIONAL,
        title=t(
            "Give small customers great success without a single meeting",
            "不开一次会，也让小客户获得成功",
            "Que los clientes pequeños triunfen sin necesitar una sola reunión",
        ),
        why=t(
            "Two thirds of our accounts are small and get almost no attention. We cannot hire "
            "our way to serving them, so the product and our guides must do the work.",
            "我们三分之二的客户是小客户，几乎得不到关注"
            "。靠招人服务不过来，必须让产品和指南来承担。",
            "Dos tercios de nuestras cuentas son pequeñas y casi no reciben atención. No podemos "
            "atenderlas contratando; el producto y nuestras guías tienen que hacer el trabajo.",
        ),
        key_results=(
            up(
                62,
                75,
                measure("points", "分", "puntos"),
                t(
                    "Raise the average health score of small accounts from 62 to 75",
                    "将小客户的平均健康度评分从 62 提高到 75",
                    "Subir la puntuación media de salud de las cuentas pequeñas de 62 a 75",
                ),
            ),
            below(
                3,
                PCT,
                t(
                    "Keep monthly churn of small accounts below 3%",
                    "小客户的月流失率保持在 3% 以下",
                    "Mantener la pérdida mensual de cuentas pequeñas por debajo del 3 %",
                ),
            ),
            up(
                15,
                40,
                PCT,
                t(
                    "Lift engagement with in-app guides from 15% to 40% of new small accounts",
                    "将新小客户中使用应用内指引的比例从 15% 提升到 40%",
                    "Elevar del 15 % al 40 % las cuentas pequeñas nuevas que siguen las guías "
                    "integradas",
                ),
            ),
        ),
        plans=(
            t(
                "Turn the five most common onboarding questions into in-app tips",
                "把新手最常问的五个问题做成应用内提示",
                "Convertir las cinco preguntas de arranque más comunes en consejos dentro del "
                "producto",
            ),
            t(
                "Review the small-account health dashboard every Tuesday",
                "每周二查看小客户健康度看板",
                "Revisar el panel de salud de cuentas pequeñas cada martes",
            ),
        ),
        note=t(
            "A stretch goal with a safety net: the keep-below key result makes sure the "
            "experiment does not cost us customers. Hitting 0.6–0.7 would already be a success.",
            "这是一个有安全网的挑战目标：“保持在某值以下”的关键结果确保实验不会让我们流失客户。"
            "做到 0.6–0.7 就已经很成功。",
            "Un reto con red de seguridad: el resultado de mantener la pérdida bajo un umbral "
            "asegura que el experimento no nos cueste clientes. Llegar a 0,6–0,7 ya sería un "
            "éxito.",
        ),
    ),
)

ENTRIES = SALES + MARKETING + CUSTOMER_SUCCESS
