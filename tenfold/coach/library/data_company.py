"""Examples for the company as a whole: finance, people, leadership, legal."""

from __future__ import annotations

from .model import (
    ASPIRATIONAL,
    COMMITTED,
    COMPANY,
    DAYS,
    DEPARTMENT,
    HOURS,
    PCT,
    PERSONAL,
    SCORE_5,
    SCORE_10,
    TEAM,
    USD,
    Entry,
    above,
    below,
    down,
    measure,
    t,
    up,
)

FINANCE = (
    Entry(
        slug="finance-fast-close",
        function="finance",
        level=TEAM,
        type=COMMITTED,
        title=t(
            "Close the books quickly so leaders decide with fresh numbers",
            "快速结账，让管理层用最新数据做决策",
            "Cerrar las cuentas rápido para decidir con cifras frescas",
        ),
        why=t(
            "Leaders see last month's numbers halfway through this month, when it is too late "
            "to act on them. A faster close turns accounting into a steering tool.",
            "管理层要到这个月过半才看到上个月的数字，那时已来不及行动。更快的结账能让会计成为掌舵"
            "的工具。",
            "La dirección ve las cifras del mes anterior a mitad de este, cuando ya es tarde para "
            "actuar. Un cierre más rápido convierte la contabilidad en una herramienta para "
            "dirigir.",
        ),
        key_results=(
            down(
                12,
                5,
                measure("working days", "个工作日", "días hábiles"),
                t(
                    "Cut the month-end close from 12 working days to 5",
                    "将月结时间从 12 个工作日缩短到 5 个",
                    "Reducir el cierre mensual de 12 días hábiles a 5",
                ),
            ),
            down(
                18,
                5,
                measure("adjustments", "笔调整", "ajustes"),
                t(
                    "Cut adjustments made after the close from 18 to 5 a month",
                    "将结账后的调整分录从每月 18 笔减少到 5 笔",
                    "Reducir los ajustes posteriores al cierre de 18 a 5 al mes",
                ),
            ),
            above(
                95,
                PCT,
                t(
                    "Keep accounts reconciled by day three above 95%",
                    "第三个工作日前完成对账的科目占比保持在 95% 以上",
                    "Mantener por encima del 95 % las cuentas conciliadas al tercer día",
                ),
            ),
        ),
        plans=(
            t(
                "Move accrual estimates to the last week of the month",
                "把预提估算提前到月末最后一周",
                "Adelantar las estimaciones de periodificación a la última semana del mes",
            ),
            t(
                "Hold a 15-minute close stand-up each day of the close",
                "结账期间每天开 15 分钟站会",
                "Hacer una reunión de pie de 15 minutos cada día del cierre",
            ),
        ),
        note=t(
            "Speed comes with a quality check: fewer adjustments after the close show the books "
            "got faster without getting sloppier.",
            "速度配有质量校验：结账后的调整减少，说明账做得更快的同时并没有变得马虎。",
            "La rapidez viene con un control de calidad: menos ajustes tras el cierre muestran "
            "que las cuentas se aceleraron sin descuidarse.",
        ),
    ),
    Entry(
        slug="finance-cash-sooner",
        function="finance",
        level=TEAM,
        type=COMMITTED,
        title=t(
            "Turn what we invoice into cash sooner",
            "更快地把开出的发票变成现金",
            "Convertir antes en caja lo que facturamos",
        ),
        why=t(
            "Customers pay us two months after we invoice on average. That gap is cash we have "
            "to borrow or cannot invest.",
            "客户平均在开票两个月后才付款。这段时间差就是我们不得不借来、或无法用于投资的现金。",
            "Los clientes nos pagan de media dos meses después de facturar. Ese hueco es caja que "
            "tenemos que pedir prestada o que no podemos invertir.",
        ),
        key_results=(
            down(
                58,
                42,
                DAYS,
                t(
                    "Cut days sales outstanding from 58 to 42",
                    "将应收账款周转天数从 58 天缩短到 42 天",
                    "Reducir el periodo medio de cobro de 58 a 42 días",
                ),
            ),
            down(
                420000,
                150000,
                USD,
                t(
                    "Cut receivables overdue by 60+ days from $420k to $150k",
                    "将逾期 60 天以上的应收账款从 42 万美元降到 15 万美元",
                    "Reducir los cobros vencidos hace más de 60 días de 420.000 a 150.000 US$",
                ),
            ),
            up(
                35,
                60,
                PCT,
                t(
                    "Raise invoices paid by automatic debit from 35% to 60%",
                    "将通过自动扣款支付的发票占比从 35% 提高到 60%",
                    "Subir del 35 % al 60 % las facturas cobradas por domiciliación",
                ),
            ),
        ),
        plans=(
            t(
                "Call the ten largest overdue accounts this week",
                "本周致电逾期金额最大的十个客户",
                "Llamar esta semana a las diez cuentas con mayor deuda vencida",
            ),
            t(
                "Offer automatic debit in every renewal quote",
                "在每份续约报价中提供自动扣款选项",
                "Ofrecer la domiciliación en cada presupuesto de renovación",
            ),
        ),
        note=t(
            "Collections measured as outcomes, not as “send reminder emails”. The overdue key "
            "result focuses effort where the money is.",
            "用结果衡量回款，而不是“发催款邮件”。逾期账款这条关键结果把力气集中在钱最多的地方。",
            "El cobro se mide en resultados, no en «enviar recordatorios». El resultado de "
            "vencidos concentra el esfuerzo donde está el dinero.",
        ),
    ),
    Entry(
        slug="finance-clear-view-of-spend",
        function="finance",
        level=TEAM,
        type=COMMITTED,
        title=t(
            "Give every budget owner a clear, current view of their spending",
            "让每位预算负责人都清楚、及时地看到自己的支出",
            "Que cada responsable de presupuesto vea su gasto con claridad y al día",
        ),
        why=t(
            "Budget owners learn they overspent when the quarter is over. Without a current "
            "view they cannot steer, and finance spends days answering the same question.",
            "预算负责人往往到季度结束才发现超支。没有及时的视图就无法调整方向，财务也得花好几天回答"
            "同一个问题。",
            "Los responsables descubren que se pasaron del presupuesto cuando ya acabó el "
            "trimestre. Sin una visión al día no pueden corregir, y finanzas pasa días "
            "respondiendo lo mismo.",
        ),
        key_results=(
            down(
                5,
                1,
                DAYS,
                t(
                    "Cut the time to answer “what have we spent?” from 5 days to 1",
                    "将回答“我们花了多少钱”所需的时间从 5 天缩短到 1 天",
                    "Reducir el tiempo para responder «¿cuánto hemos gastado?» de 5 días a 1",
                ),
            ),
            up(
                55,
                90,
                PCT,
                t(
                    "Raise spend covered by a purchase order before invoicing from 55% to 90%",
                    "将开票前已有采购订单覆盖的支出占比从 55% 提高到 90%",
                    "Subir del 55 % al 90 % el gasto con orden de compra previa a la factura",
                ),
            ),
            below(
                5,
                PCT,
                t(
                    "Keep each department's forecast variance below 5%",
                    "各部门预测偏差保持在 5% 以下",
                    "Mantener la desviación de previsión de cada departamento por debajo del 5 %",
                ),
            ),
        ),
        plans=(
            t(
                "Send each budget owner a one-page spend summary every Monday",
                "每周一给每位预算负责人发一页支出摘要",
                "Enviar cada lunes a cada responsable un resumen de gasto de una página",
            ),
            t(
                "Sit with the two departments with the largest variance",
                "与预测偏差最大的两个部门坐下来一起分析",
                "Reunirse con los dos departamentos con mayor desviación",
            ),
        ),
        note=t(
            "A team objective about serving other teams. The key results measure the service "
            "they receive, not the reports finance produces.",
            "这是一个关于服务其他团队的团队目标。关键结果衡量的是他们得到的服务，而不是财务出了多少"
            "报表。",
            "Un objetivo de equipo sobre servir a otros equipos. Los resultados clave miden el "
            "servicio que reciben, no los informes que produce finanzas.",
        ),
    ),
    Entry(
        slug="finance-longer-runway",
        function="finance",
        level=DEPARTMENT,
        type=COMMITTED,
        title=t(
            "Extend our runway so we grow on our own terms",
            "延长现金跑道，按自己的节奏成长",
            "Alargar nuestro margen de caja para crecer a nuestro ritmo",
        ),
        why=t(
            "With fourteen months of cash, the next funding round would be on someone else's "
            "terms. More runway buys us the freedom to choose.",
            "现金只够撑十四个月，下一轮融资的条件就只能"
            "由别人说了算。更长的跑道让我们有选择的自由。",
            "Con catorce meses de caja, la próxima ronda sería en las condiciones de otros. Más "
            "margen nos da libertad para elegir.",
        ),
        key_results=(
            up(
                14,
                20,
                measure("months", "个月", "meses"),
                t(
                    "Extend cash runway from 14 to 20 months",
                    "将现金跑道从 14 个月延长到 20 个月",
                    "Ampliar el margen de caja de 14 a 20 meses",
                ),
            ),
            down(
                620000,
                450000,
                USD,
                t(
                    "Cut monthly net burn from $620k to $450k",
                    "将每月净消耗从 62 万美元降到 45 万美元",
                    "Reducir el consumo neto mensual de 620.000 a 450.000 US$",
                ),
            ),
            above(
                70,
                PCT,
                t(
                    "Keep gross margin above 70% throughout",
                    "毛利率始终保持在 70% 以上",
                    "Mantener en todo momento el margen bruto por encima del 70 %",
                ),
            ),
        ),
        plans=(
            t(
                "Review the twenty largest recurring costs with their owners",
                "与负责人一起审视金额最大的二十项经常性支出",
                "Revisar con sus responsables los veinte mayores gastos recurrentes",
            ),
            t(
                "Update the cash forecast every Friday and share it with the leadership team",
                "每周五更新现金预测并同步给管理团队",
                "Actualizar cada viernes la previsión de caja y compartirla con la dirección",
            ),
        ),
        note=t(
            "A department objective that company OKRs can lean on. The margin key result stops "
            "the burn from being cut in ways that damage the business.",
            "这是一个可以支撑公司 OKR 的部门目标。毛利率这条关键结果防止以损害业务的方式削减消耗。",
            "Un objetivo de departamento en el que pueden apoyarse los OKR de la empresa. El "
            "resultado de margen evita recortar el consumo de maneras que dañen el negocio.",
        ),
    ),
    Entry(
        slug="finance-protect-margins",
        function="finance",
        level=TEAM,
        type=ASPIRATIONAL,
        title=t(
            "Protect our margins as we grow",
            "在增长的同时守住利润率",
            "Proteger nuestros márgenes mientras crecemos",
        ),
        why=t(
            "Revenue grew 40% last year but gross profit only 25%. Fees, discounts and "
            "unprofitable contracts are quietly eating the difference.",
            "去年收入增长了 40%，毛利却只增长了 25%。手续费、折扣和亏损合同正悄悄吃掉这部分差额。",
            "Los ingresos crecieron un 40 % el año pasado, pero el beneficio bruto solo un 25 %. "
            "Comisiones, descuentos y contratos poco rentables se comen la diferencia en "
            "silencio.",
        ),
        key_results=(
            up(
                64,
                70,
                PCT,
                t(
                    "Lift gross margin from 64% to 70%",
                    "将毛利率从 64% 提升到 70%",
                    "Elevar el margen bruto del 64 % al 70 %",
                ),
            ),
            down(
                "2.9",
                "2.2",
                PCT,
                t(
                    "Cut payment processing costs from 2.9% to 2.2% of revenue",
                    "将支付手续费占收入的比例从 2.9% 降到 2.2%",
                    "Reducir los costes de cobro del 2,9 % al 2,2 % de los ingresos",
                ),
            ),
            below(
                5,
                PCT,
                t(
                    "Keep unprofitable customer contracts below 5% of the total",
                    "亏损客户合同占比保持在 5% 以下",
                    "Mantener los contratos de cliente no rentables por debajo del 5 % del total",
                ),
            ),
        ),
        plans=(
            t(
                "Ask two payment providers for quotes on our current volume",
                "请两家支付服务商按我们现有交易量报价",
                "Pedir presupuesto a dos proveedores de pago para nuestro volumen actual",
            ),
            t(
                "Review margin by contract with sales every second Thursday",
                "每隔一周的周四与销售一起按合同复盘利润率",
                "Revisar con ventas el margen por contrato cada dos jueves",
            ),
        ),
        note=t(
            "Aspirational: six points of margin in one cycle is ambitious, and reaching 0.7 "
            "would be a good result. Every key result is a ratio, so growth alone cannot fake "
            "progress.",
            "挑战型目标：一个周期提升六个百分点的毛利率很有野心，做到 0.7 就是好成绩。每条关键结果"
            "都是比率，单靠规模增长无法制造进展。",
            "Aspiracional: seis puntos de margen en un ciclo es ambicioso, y llegar a 0,7 sería "
            "un buen resultado. Cada resultado clave es una proporción, así que el crecimiento "
            "por sí solo no puede fingir avances.",
        ),
    ),
)

PEOPLE = (
    Entry(
        slug="people-hire-before-others",
        function="people",
        level=TEAM,
        type=COMMITTED,
        title=t(
            "Bring great people on board before they accept another offer",
            "在优秀人才接受别家录用之前把他们请进来",
            "Incorporar a gente excelente antes de que acepte otra oferta",
        ),
        why=t(
            "We lost four finalists to faster competitors last quarter. A slow process tells "
            "candidates how we work, and the best ones do not wait.",
            "上个季度有四位进入终面的候选人被动作更快的竞争对手抢走。缓慢的流程在告诉候选人我们"
            "如何工作，而最优秀的人不会等。",
            "El trimestre pasado perdimos a cuatro finalistas frente a competidores más rápidos. "
            "Un proceso lento dice a los candidatos cómo trabajamos, y los mejores no esperan.",
        ),
        key_results=(
            down(
                52,
                35,
                DAYS,
                t(
                    "Cut the time from application to offer from 52 to 35 days",
                    "将从投递简历到发出录用的时间从 52 天缩短到 35 天",
                    "Reducir el tiempo entre la candidatura y la oferta de 52 a 35 días",
                ),
            ),
            up(
                70,
                85,
                PCT,
                t(
                    "Raise the offer acceptance rate from 70% to 85%",
                    "将录用接受率从 70% 提高到 85%",
                    "Subir la tasa de aceptación de ofertas del 70 % al 85 %",
                ),
            ),
            up(
                "3.4",
                "4.3",
                SCORE_5,
                t(
                    "Lift hiring managers' satisfaction with the process from 3.4 to 4.3 out of 5",
                    "将用人经理对招聘流程的满意度从 3.4 提升到 4.3（满分 5）",
                    "Elevar la satisfacción de los responsables con el proceso de 3,4 a 4,3 "
                    "sobre 5",
                ),
            ),
        ),
        plans=(
            t(
                "Book all final interviews within one week of the first one",
                "所有终面都在初面后一周内安排完毕",
                "Cerrar todas las entrevistas finales en la semana siguiente a la primera",
            ),
            t(
                "Give every candidate feedback within two working days",
                "两个工作日内给每位候选人反馈",
                "Dar respuesta a cada candidato en dos días hábiles",
            ),
        ),
        note=t(
            "“Hire 12 people” is a count of outputs and invites compromises. These key results "
            "measure the quality of the process that produces good hires.",
            "“招 12 个人”只是数产出，还容易导致将就。这些关键结果衡量的是能招到好人的流程质量。",
            "«Contratar a 12 personas» cuenta entregables e invita a conformarse. Estos "
            "resultados clave miden la calidad del proceso que consigue buenas contrataciones.",
        ),
    ),
    Entry(
        slug="people-proud-to-recommend",
        function="people",
        level=TEAM,
        type=COMMITTED,
        title=t(
            "Make this a place people are proud to recommend",
            "让这里成为大家乐于推荐的工作场所",
            "Que este sea un lugar que la gente recomiende con orgullo",
        ),
        why=t(
            "Good people are leaving for reasons we could have fixed, and few employees refer "
            "friends. Both say the same thing about how it feels to work here.",
            "优秀的人正因为一些本可以解决的原因离开，也很少有员工推荐朋友加入。两者说明的是同一件"
            "事：在这里工作的感受。",
            "Gente valiosa se va por motivos que podríamos haber resuelto, y pocos empleados "
            "recomiendan a amigos. Las dos cosas dicen lo mismo sobre cómo se trabaja aquí.",
        ),
        key_results=(
            up(
                12,
                30,
                measure("eNPS", "eNPS", "eNPS"),
                t(
                    "Raise employee NPS from 12 to 30",
                    "将员工净推荐值（eNPS）从 12 提高到 30",
                    "Subir el eNPS de la plantilla de 12 a 30",
                ),
            ),
            down(
                14,
                8,
                PCT,
                t(
                    "Cut annualised regretted attrition from 14% to 8%",
                    "将年化的非预期人才流失率从 14% 降到 8%",
                    "Reducir la rotación no deseada anualizada del 14 % al 8 %",
                ),
            ),
            up(
                10,
                25,
                PCT,
                t(
                    "Grow hires who came through employee referrals from 10% to 25%",
                    "将通过内推入职的员工占比从 10% 提高到 25%",
                    "Aumentar del 10 % al 25 % las contrataciones que llegan por recomendación "
                    "interna",
                ),
            ),
        ),
        plans=(
            t(
                "Hold stay conversations with the twenty people we would least want to lose",
                "与我们最不愿失去的二十位同事进行留任谈话",
                "Tener conversaciones de permanencia con las veinte personas que menos querríamos "
                "perder",
            ),
            t(
                "Share what changed after the last survey in the next all-hands",
                "在下次全员大会上分享上次调研之后做出的改变",
                "Contar en la próxima reunión general qué cambió tras la última encuesta",
            ),
        ),
        note=t(
            "Engagement becomes measurable through two things people do (stay, refer) and one "
            "thing they say (eNPS). Team OKR scores never feed individual evaluations.",
            "敬业度通过员工的两种行为（留下、推荐）和一种表态（eNPS）变得可衡量。团队 OKR 的得分"
            "永远不用于个人考评。",
            "El compromiso se vuelve medible con dos cosas que la gente hace (quedarse, "
            "recomendar) y una que dice (eNPS). Las puntuaciones de los OKR nunca alimentan "
            "evaluaciones individuales.",
        ),
    ),
    Entry(
        slug="people-at-home-in-a-month",
        function="people",
        level=TEAM,
        type=COMMITTED,
        title=t(
            "Help new colleagues feel at home and useful within a month",
            "让新同事在一个月内找到归属感并发挥作用",
            "Que las nuevas incorporaciones se sientan en casa y útiles en un mes",
        ),
        why=t(
            "New colleagues say their first weeks feel lonely and unclear. One in ten leaves "
            "within three months, which costs us the whole hiring effort.",
            "新同事说入职头几周既孤单又迷茫。十个人里就"
            "有一个在三个月内离职，整个招聘投入都白费了。",
            "Las nuevas incorporaciones dicen que sus primeras semanas son solitarias y confusas. "
            "Una de cada diez se va antes de tres meses, y con ella todo el esfuerzo de "
            "selección.",
        ),
        key_results=(
            up(
                "7.2",
                "8.8",
                SCORE_10,
                t(
                    "Lift new hires' rating of their first month from 7.2 to 8.8 out of 10",
                    "将新员工对入职第一个月的评分从 7.2 提升到 8.8（满分 10）",
                    "Elevar la valoración del primer mes de las incorporaciones "
                    "de 7,2 a 8,8 sobre 10",
                ),
            ),
            down(
                60,
                40,
                DAYS,
                t(
                    "Cut the time until new hires work on their own from 60 to 40 days",
                    "将新员工能独立开展工作的时间从 60 天缩短到 40 天",
                    "Reducir de 60 a 40 días el tiempo hasta que una incorporación trabaja con "
                    "autonomía",
                ),
            ),
            below(
                5,
                PCT,
                t(
                    "Keep departures within the first 90 days below 5%",
                    "入职 90 天内的离职率保持在 5% 以下",
                    "Mantener por debajo del 5 % las salidas en los primeros 90 días",
                ),
            ),
        ),
        plans=(
            t(
                "Give every newcomer a buddy from another team",
                "为每位新人安排一位来自其他团队的伙伴",
                "Asignar a cada recién llegado un compañero de otro equipo",
            ),
            t(
                "Check in with each new hire at the end of week two",
                "在第二周结束时与每位新员工沟通一次",
                "Hablar con cada incorporación al final de su segunda semana",
            ),
        ),
        note=t(
            "A feeling (being at home) made measurable without turning it into a checklist of "
            "onboarding tasks, which belong in the plans.",
            "把一种感受（归属感）变得可衡量，又没有把它变成入职任务清单——那些属于计划。",
            "Una sensación (sentirse en casa) hecha medible sin convertirla en una lista de "
            "tareas de bienvenida, que pertenecen a los planes.",
        ),
    ),
    Entry(
        slug="people-managers-worth-following",
        function="people",
        level=TEAM,
        type=ASPIRATIONAL,
        title=t(
            "Make every manager someone people want to work for",
            "让每位经理都成为大家愿意追随的人",
            "Que cada responsable sea alguien con quien la gente quiera trabajar",
        ),
        why=t(
            "People join companies and leave managers. Our survey shows a wide gap between the "
            "best and the weakest teams, and it tracks attrition closely.",
            "人们因公司而来，因经理而走。我们的调研显示，最好和最弱的团队之间差距很大，而且与流失率"
            "高度相关。",
            "La gente entra por la empresa y se va por su responsable. Nuestra encuesta muestra "
            "una gran distancia entre los mejores equipos y los más flojos, y sigue de cerca a "
            "la rotación.",
        ),
        key_results=(
            up(
                "3.6",
                "4.3",
                SCORE_5,
                t(
                    "Lift the average manager effectiveness score from 3.6 to 4.3 out of 5",
                    "将经理效能平均分从 3.6 提升到 4.3（满分 5）",
                    "Elevar la puntuación media de eficacia de los responsables de 3,6 a 4,3 "
                    "sobre 5",
                ),
            ),
            down(
                20,
                5,
                PCT,
                t(
                    "Cut teams whose manager scores below 3 from 20% to 5%",
                    "将经理得分低于 3 分的团队占比从 20% 降到 5%",
                    "Reducir del 20 % al 5 % los equipos cuyo responsable puntúa por debajo de 3",
                ),
            ),
            up(
                48,
                80,
                PCT,
                t(
                    "Raise people who got useful feedback in the last month from 48% to 80%",
                    "将过去一个月内获得有用反馈的员工比例从 48% 提高到 80%",
                    "Subir del 48 % al 80 % las personas que recibieron comentarios útiles en el "
                    "último mes",
                ),
            ),
        ),
        plans=(
            t(
                "Pair each new manager with an experienced one for monthly coaching",
                "为每位新经理配一位资深经理，每月辅导一次",
                "Emparejar a cada responsable nuevo con uno veterano para una mentoría mensual",
            ),
            t(
                "Share a short feedback practice in every managers' weekly meeting",
                "在每周经理例会上分享一个简短的反馈练习",
                "Compartir una práctica breve de feedback en cada reunión semanal de responsables",
            ),
        ),
        note=t(
            "These are team-level figures used to improve support for managers, never to rank "
            "or pay individuals: OKR results stay out of performance reviews.",
            "这些是团队层面的数据，用于改进对经理的支持，绝不用于给个人排名或定薪：OKR 结果不进入"
            "绩效评估。",
            "Son cifras de equipo para mejorar el apoyo a los responsables, nunca para "
            "clasificar ni pagar a nadie: los resultados de los OKR no entran en la evaluación "
            "del desempeño.",
        ),
    ),
    Entry(
        slug="personal-confident-presenter",
        function="people",
        level=PERSONAL,
        type=COMMITTED,
        title=t(
            "Become a confident and clear presenter",
            "成为一名自信、表达清晰的演讲者",
            "Convertirme en una persona que presenta con seguridad y claridad",
        ),
        why=t(
            "My work is good, but I lose the room when I present it. Learning to speak clearly "
            "will help my ideas get the hearing they deserve and make me more comfortable "
            "leading discussions.",
            "我的工作做得不错，但一到汇报就镇不住场。学会清晰表达，能让我的想法得到应有的重视，也让"
            "我更自如地主持讨论。",
            "Mi trabajo es bueno, pero cuando lo presento pierdo a la audiencia. Aprender a "
            "hablar con claridad hará que mis ideas reciban la atención que merecen y me "
            "ayudará a dirigir debates con más soltura.",
        ),
        key_results=(
            up(
                "3.2",
                "4.3",
                SCORE_5,
                t(
                    "Lift the average audience rating of my talks from 3.2 to 4.3 out of 5",
                    "将听众对我演讲的平均评分从 3.2 提升到 4.3（满分 5）",
                    "Subir la valoración media de mis charlas de 3,2 a 4,3 sobre 5",
                ),
            ),
            down(
                9,
                3,
                measure("per minute", "次/分钟", "por minuto"),
                t(
                    "Cut filler words in my recorded practice runs from 9 to 3 a minute",
                    "将练习录音中的口头禅从每分钟 9 次减少到 3 次",
                    "Reducir las muletillas en mis ensayos grabados de 9 a 3 por minuto",
                ),
            ),
            down(
                10,
                5,
                HOURS,
                t(
                    "Cut the hours I need to prepare a short talk from 10 to 5",
                    "将准备一场简短演讲所需的时间从 10 小时缩短到 5 小时",
                    "Reducir de 10 a 5 las horas que necesito para preparar una charla corta",
                ),
            ),
        ),
        plans=(
            t(
                "Record one practice run every week and note what to change",
                "每周录一次练习，并记下需要改进的地方",
                "Grabar un ensayo cada semana y apuntar qué cambiar",
            ),
            t(
                "Ask two colleagues for written feedback after each talk",
                "每次演讲后请两位同事写下反馈",
                "Pedir a dos compañeros comentarios por escrito tras cada charla",
            ),
        ),
        note=t(
            "Personal OKRs are for personal development only, private to the person and their "
            "manager by default. This one is about a skill, measured by its effect, not by the "
            "number of courses taken.",
            "个人 OKR 只用于个人发展，默认仅本人和其经理可见。这一条关乎一项技能，以其效果来衡量，"
            "而不是上了多少门课。",
            "Los OKR personales son solo para el desarrollo personal y, por defecto, privados "
            "entre la persona y su responsable. Este trata de una habilidad, medida por su "
            "efecto y no por los cursos hechos.",
        ),
    ),
    Entry(
        slug="personal-fluent-with-data",
        function="people",
        level=PERSONAL,
        type=ASPIRATIONAL,
        title=t(
            "Become fluent enough with data to answer my own questions",
            "熟练掌握数据分析，能自己回答自己的问题",
            "Manejar los datos con soltura para responder mis propias preguntas",
        ),
        why=t(
            "I depend on analysts for every number I need, and I wait days for answers. "
            "Learning SQL and basic statistics will make me more independent and help me ask "
            "better questions.",
            "我需要的每个数字都得找分析师，一等就是好几天。学会 SQL 和基础统计，能让我更独立，也能"
            "提出更好的问题。",
            "Dependo de los analistas para cada número que necesito y espero días las "
            "respuestas. Aprender SQL y estadística básica me hará más autónomo y me ayudará a "
            "hacer mejores preguntas.",
        ),
        key_results=(
            up(
                45,
                85,
                measure("points", "分", "puntos"),
                t(
                    "Raise my score on the internal SQL assessment from 45 to 85",
                    "将我在内部 SQL 测评中的得分从 45 分提高到 85 分",
                    "Subir mi nota en la evaluación interna de SQL de 45 a 85",
                ),
            ),
            up(
                10,
                70,
                PCT,
                t(
                    "Grow the share of my data questions I answer without help from 10% to 70%",
                    "将我无需求助即可自行解答的数据问题占比从 10% 提高到 70%",
                    "Aumentar del 10 % al 70 % mis preguntas de datos que resuelvo sin ayuda",
                ),
            ),
            down(
                6,
                "1.5",
                HOURS,
                t(
                    "Cut the time I need for a standard cohort analysis from 6 hours to 1.5",
                    "将我做一次标准同期群分析所需的时间从 6 小时缩短到 1.5 小时",
                    "Reducir el tiempo que tardo en un análisis de cohortes estándar de 6 horas "
                    "a 1,5",
                ),
            ),
        ),
        plans=(
            t(
                "Work through two lessons of the SQL course every week",
                "每周学完 SQL 课程中的两节",
                "Hacer dos lecciones del curso de SQL cada semana",
            ),
            t(
                "Pair with an analyst for an hour on Thursdays on a real question",
                "每周四与一位分析师结对一小时，解决一个真实问题",
                "Trabajar una hora los jueves con un analista sobre una pregunta real",
            ),
        ),
        note=t(
            "A development goal measured by ability, not by hours of study. Aspirational, so "
            "0.7 would already mean real independence.",
            "这是一个以能力而非学习时长衡量的发展目标。设为"
            "挑战型，做到 0.7 就已经意味着真正的独立。",
            "Un objetivo de desarrollo medido por la capacidad, no por las horas de estudio. "
            "Aspiracional: un 0,7 ya supondría una autonomía real.",
        ),
    ),
)

LEADERSHIP = (
    Entry(
        slug="leadership-win-mid-market",
        function="leadership",
        level=COMPANY,
        type=COMMITTED,
        title=t(
            "Become the obvious choice for mid-sized companies",
            "成为中型企业的不二之选",
            "Ser la opción evidente para las empresas medianas",
        ),
        why=t(
            "Mid-sized companies buy faster, stay longer and need exactly what we do best. This "
            "year we focus the whole company on winning them, and every team decides how it "
            "contributes.",
            "中型企业决策更快、留存更久，需要的恰恰是我们最擅长的。今年全公司聚焦赢得这类客户，每个"
            "团队自己决定如何贡献。",
            "Las empresas medianas compran más rápido, se quedan más y necesitan justo lo que "
            "mejor hacemos. Este año toda la empresa se centra en ganarlas, y cada equipo "
            "decide cómo contribuye.",
        ),
        key_results=(
            up(
                8000000,
                11000000,
                USD,
                t(
                    "Grow annual recurring revenue from $8M to $11M",
                    "将年度经常性收入从 800 万美元增长到 1100 万美元",
                    "Aumentar los ingresos recurrentes anuales de 8 a 11 M US$",
                ),
            ),
            up(
                40,
                70,
                measure("customers a quarter", "家/季度", "clientes por trimestre"),
                t(
                    "Grow new mid-sized customers from 40 to 70 a quarter",
                    "将每季度新增中型企业客户从 40 家增加到 70 家",
                    "Aumentar los nuevos clientes medianos de 40 a 70 por trimestre",
                ),
            ),
            below(
                "1.5",
                PCT,
                t(
                    "Keep monthly revenue churn below 1.5%",
                    "月度收入流失率保持在 1.5% 以下",
                    "Mantener la pérdida mensual de ingresos por debajo del 1,5 %",
                ),
            ),
        ),
        plans=(
            t(
                "Explain the objective and why it matters at the next all-hands",
                "在下次全员大会上讲清这个目标及其意义",
                "Explicar el objetivo y su porqué en la próxima reunión general",
            ),
            t(
                "Review the teams' draft OKRs with each lead before the alignment session",
                "在对齐会前与每位负责人一起审阅团队的 OKR 草稿",
                "Revisar con cada responsable los borradores de OKR de su equipo antes de la "
                "sesión de alineación",
            ),
        ),
        note=t(
            "A company objective: strategic, set by leadership, with the why spelt out. Teams "
            "align their own OKRs to it rather than receiving key results pushed down to them.",
            "这是公司级目标：由管理层制定，具有战略性，并讲清了原因。各团队将自己的 OKR 与之对齐，"
            "而不是被动接受层层下压的关键结果。",
            "Un objetivo de empresa: estratégico, fijado por la dirección y con el porqué "
            "explicado. Los equipos alinean sus propios OKR con él en lugar de recibir "
            "resultados clave impuestos.",
        ),
    ),
    Entry(
        slug="leadership-focus-on-what-matters",
        function="leadership",
        level=COMPANY,
        type=COMMITTED,
        title=t(
            "Focus the whole company on the few things that matter most",
            "让全公司聚焦于最重要的少数几件事",
            "Centrar a toda la empresa en las pocas cosas que más importan",
        ),
        why=t(
            "Last quarter we had forty company priorities and finished few of them. Focus means "
            "saying no, and making sure everyone knows what we said yes to.",
            "上个季度公司有四十个优先事项，真正做成的寥寥无几。聚焦意味着学会说不，并让每个人都知道"
            "我们对什么说了是。",
            "El trimestre pasado tuvimos cuarenta prioridades de empresa y cumplimos pocas. "
            "Enfocarse es decir que no, y asegurarse de que todos saben a qué dijimos que sí.",
        ),
        key_results=(
            up(
                50,
                90,
                PCT,
                t(
                    "Raise team objectives aligned to a company objective from 50% to 90%",
                    "将与公司目标对齐的团队目标占比从 50% 提高到 90%",
                    "Subir del 50 % al 90 % los objetivos de equipo alineados con uno de empresa",
                ),
            ),
            up(
                35,
                85,
                PCT,
                t(
                    "Raise people who can name the company objectives from 35% to 85%",
                    "将能说出公司目标的员工比例从 35% 提高到 85%",
                    "Subir del 35 % al 85 % las personas que saben nombrar los objetivos de la "
                    "empresa",
                ),
            ),
            up(
                45,
                80,
                PCT,
                t(
                    "Raise team key results updated every week from 45% to 80%",
                    "将每周都有更新的团队关键结果占比从 45% 提高到 80%",
                    "Subir del 45 % al 80 % los resultados clave de equipo actualizados cada "
                    "semana",
                ),
            ),
        ),
        plans=(
            t(
                "Cut the company priority list to three and publish what we stopped",
                "把公司优先事项砍到三个，并公布我们停掉了哪些",
                "Reducir la lista de prioridades a tres y comunicar qué dejamos de hacer",
            ),
            t(
                "Start every leadership meeting with the status of the company objectives",
                "每次管理层会议都从公司目标的进展开始",
                "Empezar cada reunión de dirección con el estado de los objetivos de empresa",
            ),
        ),
        note=t(
            "A first-cycle company objective about the OKR habit itself. Its key results watch "
            "the classic failure signs: OKRs linked to nothing, objectives nobody knows, "
            "check-ins that stop.",
            "这是适合首个周期的公司级目标，关注的是 OKR"
            " 习惯本身。关键结果盯住的正是典型的失败信号："
            "没有对齐的 OKR、没人知道的目标、中断的每周更新。",
            "Un objetivo de empresa para el primer ciclo sobre el propio hábito de los OKR. Sus "
            "resultados clave vigilan las señales clásicas de fracaso: OKR sin vínculo, "
            "objetivos que nadie conoce, actualizaciones que se abandonan.",
        ),
    ),
    Entry(
        slug="leadership-growth-that-pays",
        function="leadership",
        level=COMPANY,
        type=COMMITTED,
        title=t(
            "Grow in a way that pays for itself",
            "实现能自我造血的增长",
            "Crecer de una manera que se pague a sí misma",
        ),
        why=t(
            "Investors now reward efficient growth over growth at any cost. Reaching "
            "profitability on our own terms protects the jobs and the product we care about.",
            "投资人如今更看重高效增长，而不是不计代价的增"
            "长。按自己的节奏实现盈利，才能保护我们在乎的"
            "岗位和产品。",
            "Los inversores premian ahora el crecimiento eficiente por encima del crecimiento a "
            "cualquier precio. Llegar a la rentabilidad a nuestro ritmo protege los empleos y el "
            "producto que nos importan.",
        ),
        key_results=(
            up(
                -8,
                3,
                PCT,
                t(
                    "Move the operating margin from -8% to +3%",
                    "将营业利润率从 -8% 提升到 +3%",
                    "Llevar el margen operativo del -8 % al +3 %",
                ),
            ),
            up(
                140000,
                170000,
                USD,
                t(
                    "Grow revenue per employee from $140k to $170k",
                    "将人均收入从 14 万美元提高到 17 万美元",
                    "Aumentar los ingresos por empleado de 140.000 a 170.000 US$",
                ),
            ),
            above(
                25,
                PCT,
                t(
                    "Keep year-on-year revenue growth above 25%",
                    "收入同比增长率保持在 25% 以上",
                    "Mantener el crecimiento interanual de ingresos por encima del 25 %",
                ),
            ),
        ),
        plans=(
            t(
                "Ask every department lead for their two biggest efficiency ideas",
                "请每位部门负责人提出两个最重要的提效想法",
                "Pedir a cada responsable de departamento sus dos mejores ideas de eficiencia",
            ),
            t(
                "Review the margin bridge with finance every month",
                "每月与财务一起复盘利润率变动",
                "Revisar cada mes con finanzas la evolución del margen",
            ),
        ),
        note=t(
            "Company key results may restate the big numbers, because team OKRs aligned to them "
            "carry the leading outcomes. The growth guardrail stops profit being bought by "
            "standing still.",
            "公司级关键结果可以是大的结果数字，因为与之对齐的团队 OKR 会承载领先指标。增长这条护栏"
            "防止靠原地踏步来换取利润。",
            "Los resultados clave de empresa pueden ser las grandes cifras, porque los OKR de "
            "equipo alineados aportan los indicadores adelantados. La barrera de crecimiento "
            "impide comprar beneficio quedándose quietos.",
        ),
    ),
    Entry(
        slug="leadership-learn-from-failure",
        function="leadership",
        level=COMPANY,
        type=ASPIRATIONAL,
        title=t(
            "Make learning from failure part of how we work",
            "让从失败中学习成为我们的工作方式",
            "Que aprender de los errores forme parte de nuestra forma de trabajar",
        ),
        why=t(
            "Teams set safe goals because missing one feels risky. Without room to fail we "
            "never try the bold things, and we repeat the same mistakes quietly.",
            "因为没达成目标让人觉得有风险，团队只定保守的"
            "目标。没有容错的空间，我们就永远不会尝试大胆"
            "的事情，还会悄悄重复同样的错误。",
            "Los equipos fijan metas seguras porque fallar una parece arriesgado. Sin espacio "
            "para equivocarnos nunca intentamos lo audaz y repetimos los mismos errores en "
            "silencio.",
        ),
        key_results=(
            up(
                52,
                75,
                PCT,
                t(
                    "Raise people who agree it is safe to take risks here from 52% to 75%",
                    "将认同“在这里冒险是安全的”的员工比例从 52% 提高到 75%",
                    "Subir del 52 % al 75 % las personas que creen que aquí es seguro arriesgarse",
                ),
            ),
            up(
                30,
                90,
                PCT,
                t(
                    "Raise incident reviews shared company-wide within 5 days from 30% to 90%",
                    "将 5 天内全公司共享的事故复盘占比从 30% 提高到 90%",
                    "Subir del 30 % al 90 % las revisiones de incidentes compartidas con toda la "
                    "empresa en 5 días",
                ),
            ),
            up(
                10,
                30,
                PCT,
                t(
                    "Grow the share of team objectives set as aspirational from 10% to 30%",
                    "将设为挑战型的团队目标占比从 10% 提高到 30%",
                    "Aumentar del 10 % al 30 % los objetivos de equipo aspiracionales",
                ),
            ),
        ),
        plans=(
            t(
                "Open each all-hands with one thing a leader got wrong and what they learned",
                "每次全员大会以一位管理者的失误及其收获开场",
                "Abrir cada reunión general con un error de un directivo y lo que aprendió",
            ),
            t(
                "Celebrate a well-run experiment that failed in the monthly review",
                "在月度回顾中表彰一个执行得当但失败了的实验",
                "Celebrar en la revisión mensual un experimento bien hecho que salió mal",
            ),
        ),
        note=t(
            "Suited to an organization past its first cycles, when aspirational OKRs make "
            "sense. Scores stay out of performance reviews, which is what makes failing safe.",
            "适合已走过最初几个周期、开始设定挑战型 OKR 的组织。得分不进入绩效评估，这正是让失败"
            "变得安全的前提。",
            "Pensado para una organización que ya pasó sus primeros ciclos y puede usar OKR "
            "aspiracionales. Las puntuaciones no entran en la evaluación del desempeño: eso es "
            "lo que hace seguro fallar.",
        ),
    ),
    Entry(
        slug="leadership-customer-voice",
        function="leadership",
        level=DEPARTMENT,
        type=COMMITTED,
        title=t(
            "Put the customer's voice in every leadership decision",
            "让客户的声音进入每一项管理决策",
            "Que la voz del cliente esté en cada decisión de la dirección",
        ),
        why=t(
            "Our biggest decisions are made in rooms where no customer has been mentioned for "
            "weeks. Leaders who hear customers directly decide faster and better.",
            "我们最重大的决策，往往是在几周都没提到过客户"
            "的会议室里做出的。直接听到客户声音的管理者，"
            "决策更快也更好。",
            "Nuestras mayores decisiones se toman en salas donde hace semanas que nadie menciona "
            "a un cliente. Los directivos que escuchan a los clientes deciden antes y mejor.",
        ),
        key_results=(
            up(
                28,
                40,
                measure("NPS", "NPS", "NPS"),
                t(
                    "Raise NPS from 28 to 40",
                    "将 NPS 从 28 提升到 40",
                    "Subir el NPS de 28 a 40",
                ),
            ),
            down(
                90,
                45,
                DAYS,
                t(
                    "Cut the time from a top customer pain spotted to addressed from 90 to 45 days",
                    "将客户头号痛点从被发现到被解决的时间从 90 天缩短到 45 天",
                    "Reducir de 90 a 45 días el tiempo entre detectar un gran problema de "
                    "cliente y resolverlo",
                ),
            ),
            up(
                35,
                80,
                PCT,
                t(
                    "Raise roadmap decisions linked to customer evidence from 35% to 80%",
                    "将有客户证据支撑的路线图决策占比从 35% 提高到 80%",
                    "Subir del 35 % al 80 % las decisiones del plan de producto con evidencia de "
                    "clientes",
                ),
            ),
        ),
        plans=(
            t(
                "Each leader joins two customer calls a month",
                "每位管理者每月旁听两通客户电话",
                "Que cada directivo participe en dos llamadas con clientes al mes",
            ),
            t(
                "Open the weekly leadership meeting with one customer story",
                "每周管理层会议以一个客户故事开场",
                "Abrir la reunión semanal de dirección con una historia de cliente",
            ),
        ),
        note=t(
            "Joining calls is the plan; the key results measure what it should change. A "
            "department objective like this aligns naturally to a company objective on "
            "customers.",
            "旁听电话是计划，关键结果衡量的是它应带来的改变。这样的部门目标自然可以与公司的客户类"
            "目标对齐。",
            "Escuchar llamadas es el plan; los resultados clave miden lo que debería cambiar. Un "
            "objetivo de departamento así se alinea de forma natural con uno de empresa sobre "
            "clientes.",
        ),
    ),
)

LEGAL = (
    Entry(
        slug="legal-fast-lane-for-deals",
        function="legal",
        level=TEAM,
        type=COMMITTED,
        title=t(
            "Make legal review a fast lane for deals, not a roadblock",
            "让法务审核成为交易的快车道，而不是路障",
            "Hacer de la revisión legal un carril rápido para vender, no un freno",
        ),
        why=t(
            "Contracts sit with legal for over a week, and sales has started to work around us. "
            "We want speed without taking risks we do not understand.",
            "合同在法务这里一压就是一周多，销售已经开始绕开我们。我们要的是速度，同时不承担自己都"
            "不清楚的风险。",
            "Los contratos pasan más de una semana en legal y ventas ha empezado a esquivarnos. "
            "Queremos rapidez sin asumir riesgos que no entendemos.",
        ),
        key_results=(
            down(
                8,
                3,
                DAYS,
                t(
                    "Cut the median contract turnaround from 8 days to 3",
                    "将合同审核的中位周期从 8 天缩短到 3 天",
                    "Reducir la mediana de revisión de contratos de 8 días a 3",
                ),
            ),
            up(
                45,
                75,
                PCT,
                t(
                    "Raise contracts signed on our standard terms from 45% to 75%",
                    "将按标准条款签署的合同占比从 45% 提高到 75%",
                    "Subir del 45 % al 75 % los contratos firmados con nuestras condiciones "
                    "estándar",
                ),
            ),
            below(
                2,
                measure("clauses a quarter", "条/季度", "cláusulas por trimestre"),
                t(
                    "Keep accepted high-risk clauses below 2 a quarter",
                    "每季度接受的高风险条款保持在 2 条以下",
                    "Mantener por debajo de 2 por trimestre las cláusulas de alto riesgo aceptadas",
                ),
            ),
        ),
        plans=(
            t(
                "Give sales a pre-approved fallback for the five most negotiated clauses",
                "为谈判最多的五个条款给销售准备好预先批准的备选措辞",
                "Dar a ventas alternativas preaprobadas para las cinco cláusulas más negociadas",
            ),
            t(
                "Triage new contract requests every morning",
                "每天早上对新的合同请求进行分诊",
                "Clasificar cada mañana las nuevas peticiones de contratos",
            ),
        ),
        note=t(
            "Speed, standardisation and a risk ceiling in one OKR: the keep-below key result "
            "makes sure faster never means careless.",
            "一个 OKR 里同时包含速度、标准化和风险上限"
            "：“保持在某值以下”的关键结果确保快不等于草率。",
            "Rapidez, estandarización y un techo de riesgo en un mismo OKR: el resultado de "
            "mantener por debajo asegura que más rápido nunca signifique descuidado.",
        ),
    ),
    Entry(
        slug="legal-trust-with-data",
        function="legal",
        level=TEAM,
        type=COMMITTED,
        title=t(
            "Earn customers' trust in how we handle their data",
            "在数据处理上赢得客户的信任",
            "Ganarnos la confianza de los clientes en cómo tratamos sus datos",
        ),
        why=t(
            "Privacy questions now come up in every large deal, and our answers are slow and "
            "incomplete. Trust here is both a legal duty and a selling point.",
            "如今每笔大单都会问到隐私问题，而我们的回答既"
            "慢又不完整。在这方面赢得信任，既是法律义务，"
            "也是卖点。",
            "La privacidad aparece ya en cada venta grande, y nuestras respuestas son lentas e "
            "incompletas. La confianza aquí es a la vez una obligación legal y un argumento de "
            "venta.",
        ),
        key_results=(
            down(
                25,
                7,
                DAYS,
                t(
                    "Cut the time to answer a personal data request from 25 days to 7",
                    "将答复个人数据请求的时间从 25 天缩短到 7 天",
                    "Reducir el tiempo de respuesta a una solicitud de datos personales de 25 "
                    "días a 7",
                ),
            ),
            up(
                60,
                100,
                PCT,
                t(
                    "Raise vendors with a signed data processing agreement from 60% to 100%",
                    "将已签署数据处理协议的供应商比例从 60% 提高到 100%",
                    "Subir del 60 % al 100 % los proveedores con contrato de encargo de "
                    "tratamiento firmado",
                ),
            ),
            down(
                10,
                2,
                DAYS,
                t(
                    "Cut the time to return a security questionnaire from 10 days to 2",
                    "将回复客户安全问卷的时间从 10 天缩短到 2 天",
                    "Reducir el tiempo para devolver un cuestionario de seguridad de 10 días a 2",
                ),
            ),
        ),
        plans=(
            t(
                "Keep a shared library of approved answers to common security questions",
                "维护一份常见安全问题标准答案的共享库",
                "Mantener una biblioteca compartida de respuestas aprobadas a preguntas "
                "habituales de seguridad",
            ),
            t(
                "Chase five unsigned vendor agreements every week",
                "每周跟进五份尚未签署的供应商协议",
                "Perseguir cada semana cinco acuerdos de proveedores sin firmar",
            ),
        ),
        note=t(
            "Compliance work often hides behind tasks (“update the privacy policy”). These key "
            "results measure what customers and regulators actually experience.",
            "合规工作常常躲在任务后面（“更新隐私政策”）。这些关键结果衡量的是客户和监管机构真正感受"
            "到的东西。",
            "El cumplimiento suele esconderse tras tareas («actualizar la política de "
            "privacidad»). Estos resultados clave miden lo que de verdad perciben clientes y "
            "reguladores.",
        ),
    ),
)

ENTRIES = FINANCE + PEOPLE + LEADERSHIP + LEGAL
