"""Examples for the teams that make the product: product, engineering, design, data."""

from __future__ import annotations

from .model import (
    ASPIRATIONAL,
    COMMITTED,
    DAYS,
    HOURS,
    MINUTES,
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
    t,
    up,
)

MS = measure("ms", "毫秒", "ms")
SECONDS = measure("seconds", "秒", "segundos")

PRODUCT = (
    Entry(
        slug="product-first-session-value",
        function="product",
        level=TEAM,
        type=COMMITTED,
        title=t(
            "Help new teams feel the value in their very first session",
            "让新团队在第一次使用时就感受到价值",
            "Que los equipos nuevos sientan el valor desde su primera sesión",
        ),
        why=t(
            "Most trials are decided in the first hour. Teams that set up their first goal "
            "together in that hour are three times more likely to become customers.",
            "大多数试用在第一个小时就决定了结局。在这一小时里一起设好第一个目标的团队，成为付费"
            "客户的可能性是其他团队的三倍。",
            "La mayoría de las pruebas se deciden en la primera hora. Los equipos que fijan "
            "juntos su primer objetivo en esa hora tienen el triple de probabilidades de "
            "convertirse en clientes.",
        ),
        key_results=(
            up(
                30,
                45,
                PCT,
                t(
                    "Raise week-one activation from 30% to 45% of new teams",
                    "将新团队首周激活率从 30% 提高到 45%",
                    "Subir la activación en la primera semana del 30 % al 45 % de los equipos "
                    "nuevos",
                ),
            ),
            down(
                26,
                8,
                MINUTES,
                t(
                    "Cut the median time to a first shared goal from 26 to 8 minutes",
                    "将创建第一个共享目标的中位耗时从 26 分钟缩短到 8 分钟",
                    "Reducir la mediana del tiempo hasta el primer objetivo compartido de 26 a "
                    "8 minutos",
                ),
            ),
            up(
                "6.8",
                8,
                SCORE_10,
                t(
                    "Lift the first-session satisfaction score from 6.8 to 8.0 out of 10",
                    "将首次使用满意度从 6.8 提升到 8.0（满分 10）",
                    "Elevar la satisfacción con la primera sesión de 6,8 a 8,0 sobre 10",
                ),
            ),
        ),
        plans=(
            t(
                "Watch five recorded first sessions and list where people hesitate",
                "观看五段首次使用的录屏，列出用户犹豫的地方",
                "Ver cinco sesiones iniciales grabadas y anotar dónde duda la gente",
            ),
            t(
                "Test a pre-filled first goal with half of the new sign-ups",
                "对一半新注册用户测试预先填好的第一个目标",
                "Probar un primer objetivo precargado con la mitad de los registros nuevos",
            ),
        ),
        note=t(
            "Activation is the outcome; the onboarding changes are plans. The three key results "
            "look at it from three sides: behaviour, speed and how it felt.",
            "激活是结果，上手流程的改动是计划。三条关键"
            "结果从行为、速度和感受三个角度衡量同一件事。",
            "La activación es el resultado; los cambios de la bienvenida son planes. Los tres "
            "resultados clave la miran desde tres lados: comportamiento, rapidez y sensación.",
        ),
    ),
    Entry(
        slug="product-weekly-habit",
        function="product",
        level=TEAM,
        type=COMMITTED,
        title=t(
            "Teams that want to come back every week",
            "让团队每周都想回来",
            "Equipos que quieren volver cada semana",
        ),
        why=t(
            "Teams that come back weekly renew; teams that drift away do not. Too many accounts "
            "go quiet after their first month.",
            "每周回来的团队会续约，渐渐流失的团队不会。太多客户在第一个月之后就没了动静。",
            "Los equipos que vuelven cada semana renuevan; los que se alejan, no. Demasiadas "
            "cuentas se quedan en silencio tras su primer mes.",
        ),
        key_results=(
            up(
                38,
                50,
                PCT,
                t(
                    "Raise week-four retention of new accounts from 38% to 50%",
                    "将新客户第四周留存率从 38% 提高到 50%",
                    "Subir la retención en la cuarta semana de las cuentas nuevas del 38 % al 50 %",
                ),
            ),
            up(
                1400,
                1900,
                measure("teams", "个团队", "equipos"),
                t(
                    "Grow weekly active teams from 1,400 to 1,900",
                    "将周活跃团队数从 1400 个增加到 1900 个",
                    "Aumentar los equipos activos semanales de 1.400 a 1.900",
                ),
            ),
            down(
                22,
                15,
                PCT,
                t(
                    "Cut the share of accounts idle for 30 days from 22% to 15%",
                    "将连续 30 天未使用的客户占比从 22% 降到 15%",
                    "Reducir del 22 % al 15 % las cuentas inactivas durante 30 días",
                ),
            ),
        ),
        plans=(
            t(
                "Interview three teams that stopped using the product last month",
                "访谈三个上个月停止使用产品的团队",
                "Entrevistar a tres equipos que dejaron de usar el producto el mes pasado",
            ),
            t(
                "Try a Monday summary email with each team's open items",
                "试行周一摘要邮件，列出每个团队的待办事项",
                "Probar un correo resumen de los lunes con los temas abiertos de cada equipo",
            ),
        ),
        note=t(
            "A good mix: one lagging measure (retention), one the team sees every week (active "
            "teams), and one early warning (idle accounts).",
            "组合得当：一条滞后指标（留存），一条团队每周都能看到的指标（活跃团队），还有一条预警"
            "指标（闲置客户）。",
            "Una buena mezcla: un indicador de efecto (retención), uno que el equipo ve cada "
            "semana (equipos activos) y una alerta temprana (cuentas inactivas).",
        ),
    ),
    Entry(
        slug="product-discovery-before-code",
        function="product",
        level=TEAM,
        type=ASPIRATIONAL,
        title=t(
            "Know what customers need before the first line of code",
            "在第一行代码之前就弄清客户需要什么",
            "Saber qué necesitan los clientes antes de la primera línea de código",
        ),
        why=t(
            "Last year a third of what we developed was barely used. Every feature nobody uses "
            "is months of engineering we will never get back.",
            "去年我们开发的东西有三分之一几乎没人用。每个没人用的功能，都是再也要不回来的几个月"
            "研发时间。",
            "El año pasado, un tercio de lo que desarrollamos apenas se usó. Cada función que "
            "nadie usa son meses de ingeniería que no recuperaremos.",
        ),
        key_results=(
            up(
                30,
                60,
                PCT,
                t(
                    "Raise new features used by at least 20% of active accounts from 30% to 60%",
                    "将被至少 20% 活跃客户使用的新功能占比从 30% 提高到 60%",
                    "Subir del 30 % al 60 % las funciones nuevas que usa al menos el 20 % de "
                    "las cuentas activas",
                ),
            ),
            down(
                25,
                10,
                PCT,
                t(
                    "Cut roadmap items dropped after development started from 25% to 10%",
                    "将开发启动后被砍掉的路线图事项占比从 25% 降到 10%",
                    "Reducir del 25 % al 10 % los elementos del plan abandonados ya en desarrollo",
                ),
            ),
            up(
                20,
                70,
                PCT,
                t(
                    "Grow roadmap items backed by a tested prototype from 20% to 70%",
                    "将有原型验证支撑的路线图事项占比从 20% 提高到 70%",
                    "Aumentar del 20 % al 70 % los elementos del plan respaldados por un "
                    "prototipo probado",
                ),
            ),
        ),
        plans=(
            t(
                "Talk to two customers every week, the whole trio together",
                "产品、设计、研发三人小组每周一起和两位客户交流",
                "Hablar con dos clientes cada semana, el trío de producto al completo",
            ),
            t(
                "Put a clickable prototype in front of five users before each planning session",
                "每次规划会前，先把可点击原型给五位用户试用",
                "Poner un prototipo navegable delante de cinco usuarios antes de cada "
                "planificación",
            ),
        ),
        note=t(
            "The obvious key result would be “interview 40 customers”, a count of tasks. These "
            "measure what discovery is for: features people use and less wasted work. "
            "Aspirational, so 0.7 counts as success.",
            "最顺手的写法是“访谈 40 位客户”，但那只是在数任务。这些关键结果衡量的是探索的目的："
            "有人用的功能、更少的浪费。挑战型目标，0.7 即算成功。",
            "Lo fácil sería «entrevistar a 40 clientes», que cuenta tareas. Estos resultados "
            "clave miden para qué sirve el descubrimiento: funciones que se usan y menos trabajo "
            "perdido. Aspiracional: 0,7 es un éxito.",
        ),
    ),
    Entry(
        slug="product-upgrade-obvious",
        function="product",
        level=TEAM,
        type=COMMITTED,
        title=t(
            "Make upgrading feel like the obvious next step",
            "让升级成为顺理成章的下一步",
            "Que pasar a la versión de pago parezca el siguiente paso natural",
        ),
        why=t(
            "Many free teams hit the limits of the free plan and simply stop. They like the "
            "product; the path to paying is what loses them.",
            "许多免费团队碰到免费版的限制就停下了。他们喜欢这个产品，是付费的路径把他们弄丢了。",
            "Muchos equipos gratuitos llegan al límite del plan gratis y se detienen. Les gusta "
            "el producto; lo que los pierde es el camino hacia el pago.",
        ),
        key_results=(
            up(
                "3.2",
                "4.5",
                PCT,
                t(
                    "Raise free-to-paid conversion from 3.2% to 4.5%",
                    "将免费转付费的转化率从 3.2% 提高到 4.5%",
                    "Subir la conversión de gratis a pago del 3,2 % al 4,5 %",
                ),
            ),
            up(
                40,
                60,
                PCT,
                t(
                    "Grow upgrades completed without talking to sales from 40% to 60%",
                    "将无需联系销售即可自助升级的比例从 40% 提高到 60%",
                    "Aumentar del 40 % al 60 % las mejoras de plan que se hacen sin hablar con "
                    "ventas",
                ),
            ),
            below(
                2,
                PCT,
                t(
                    "Keep refunds requested within 30 days below 2% of upgrades",
                    "30 天内申请退款的升级订单保持在 2% 以下",
                    "Mantener los reembolsos pedidos en 30 días por debajo del 2 % de las mejoras",
                ),
            ),
        ),
        plans=(
            t(
                "Show the plan comparison at the moment a limit is reached",
                "在用户触及限制的那一刻展示套餐对比",
                "Mostrar la comparación de planes justo cuando se alcanza un límite",
            ),
            t(
                "Read every refund reason on Fridays and share the patterns",
                "每周五阅读所有退款原因并分享规律",
                "Leer cada viernes todos los motivos de reembolso y compartir los patrones",
            ),
        ),
        note=t(
            "The refund key result is a counterweight: conversion could be pushed up with "
            "pressure, but not while keeping refunds low. Balancing key results keep an OKR "
            "honest.",
            "退款这条关键结果起到制衡作用：靠施压也能拉高转化，但退款就压不住了。相互制衡的关键"
            "结果让 OKR 保持诚实。",
            "El resultado de reembolsos hace de contrapeso: la conversión podría subir con "
            "presión, pero no manteniendo bajos los reembolsos. Los resultados que se equilibran "
            "mantienen honesto un OKR.",
        ),
    ),
    Entry(
        slug="product-mobile-good-enough",
        function="product",
        level=TEAM,
        type=COMMITTED,
        title=t(
            "A mobile experience so good the laptop can stay closed",
            "手机端体验好到不必打开电脑",
            "Una experiencia móvil tan buena que el portátil pueda quedarse cerrado",
        ),
        why=t(
            "People check in between meetings, on their phones. Today the app is slow and "
            "limited, so the weekly update waits until someone is back at a desk, or never "
            "happens.",
            "人们常在会议间隙用手机更新进展。如今应用又慢又受限，每周更新只能等回到工位再做，"
            "甚至根本不做。",
            "La gente actualiza entre reuniones, desde el móvil. Hoy la app es lenta y limitada, "
            "así que la actualización semanal espera a que alguien vuelva a su mesa, o no llega.",
        ),
        key_results=(
            up(
                "3.6",
                "4.4",
                measure("stars", "星", "estrellas"),
                t(
                    "Lift the app store rating from 3.6 to 4.4 stars",
                    "将应用商店评分从 3.6 星提升到 4.4 星",
                    "Subir la valoración en la tienda de aplicaciones de 3,6 a 4,4 estrellas",
                ),
            ),
            up(
                12,
                25,
                PCT,
                t(
                    "Grow the share of weekly check-ins made on mobile from 12% to 25%",
                    "将通过手机完成的每周进展更新占比从 12% 提高到 25%",
                    "Aumentar del 12 % al 25 % las actualizaciones semanales hechas desde el móvil",
                ),
            ),
            above(
                "99.5",
                PCT,
                t(
                    "Keep crash-free sessions above 99.5%",
                    "无崩溃会话比例保持在 99.5% 以上",
                    "Mantener las sesiones sin fallos por encima del 99,5 %",
                ),
            ),
        ),
        plans=(
            t(
                "Fix the three slowest screens reported in the app reviews",
                "修复应用评论中被吐槽最慢的三个页面",
                "Arreglar las tres pantallas más lentas que mencionan las reseñas",
            ),
            t(
                "Reply to every new review below four stars within two days",
                "两天内回复每一条低于四星的新评论",
                "Responder en dos días a cada reseña nueva de menos de cuatro estrellas",
            ),
        ),
        note=t(
            "Each key result has a number and a direction. The keep-above key result holds "
            "quality steady while the team pushes adoption.",
            "每条关键结果都有数字和方向。“保持在某值以上"
            "”的关键结果让团队在推动使用的同时守住质量。",
            "Cada resultado clave tiene un número y una dirección. El de mantener por encima "
            "sostiene la calidad mientras el equipo empuja el uso.",
        ),
    ),
    Entry(
        slug="product-teams-not-solo",
        function="product",
        level=TEAM,
        type=COMMITTED,
        title=t(
            "Turn solo users into teams that work together",
            "让单打独斗的用户变成协作的团队",
            "Convertir a los usuarios solitarios en equipos que trabajan juntos",
        ),
        why=t(
            "Accounts with three or more active people stay four times longer than single-user "
            "accounts. The product is built for teams, yet most accounts still have one user.",
            "有三名及以上活跃成员的客户，留存时长是单人客户的四倍。产品本就为团队设计，可大多数"
            "客户仍只有一个人在用。",
            "Las cuentas con tres o más personas activas duran cuatro veces más que las de un "
            "solo usuario. El producto está pensado para equipos, pero casi todas las cuentas "
            "siguen teniendo uno.",
        ),
        key_results=(
            up(
                28,
                40,
                PCT,
                t(
                    "Raise accounts with three or more active members from 28% to 40%",
                    "将拥有三名及以上活跃成员的客户占比从 28% 提高到 40%",
                    "Subir del 28 % al 40 % las cuentas con tres o más miembros activos",
                ),
            ),
            up(
                "1.2",
                "2.5",
                measure("invites", "个邀请", "invitaciones"),
                t(
                    "Grow accepted invitations per new account from 1.2 to 2.5",
                    "将每个新客户被接受的邀请数从 1.2 个提高到 2.5 个",
                    "Aumentar las invitaciones aceptadas por cuenta nueva de 1,2 a 2,5",
                ),
            ),
            up(
                4,
                8,
                measure("comments a week", "条评论/周", "comentarios a la semana"),
                t(
                    "Double comments per active team from 4 to 8 a week",
                    "将每个活跃团队的每周评论数从 4 条翻倍到 8 条",
                    "Duplicar los comentarios por equipo activo de 4 a 8 a la semana",
                ),
            ),
        ),
        plans=(
            t(
                "Suggest inviting a teammate right after the first goal is written",
                "在用户写下第一个目标后，立即提示邀请队友",
                "Sugerir invitar a un compañero justo después de escribir el primer objetivo",
            ),
            t(
                "Test a weekly digest that shows who commented on what",
                "测试每周摘要，展示谁评论了什么",
                "Probar un resumen semanal que muestre quién comentó qué",
            ),
        ),
        note=t(
            "The objective names the change in behaviour we want; each key result measures a "
            "piece of it. None of them is a feature to ship: those are the plans.",
            "目标点明了我们想要的行为变化，每条关键结果衡量其中一部分。没有一条是“做某个功能”——"
            "那些属于计划。",
            "El objetivo nombra el cambio de comportamiento que buscamos; cada resultado clave "
            "mide una parte. Ninguno es una función por entregar: esas son los planes.",
        ),
    ),
)

ENGINEERING = (
    Entry(
        slug="engineering-dependable-service",
        function="engineering",
        level=TEAM,
        type=COMMITTED,
        title=t(
            "Make the service so dependable that customers stop thinking about it",
            "让服务稳定到客户根本不用操心",
            "Que el servicio sea tan fiable que los clientes se olviden de él",
        ),
        why=t(
            "Three outages last quarter cost us two renewals and a month of firefighting. "
            "Reliability is the feature every other feature depends on.",
            "上季度三次宕机让我们丢了两个续约，还救了一个月的火。可靠性是其他所有功能的基础。",
            "Tres caídas el trimestre pasado nos costaron dos renovaciones y un mes apagando "
            "fuegos. La fiabilidad es la función de la que dependen todas las demás.",
        ),
        key_results=(
            above(
                "99.9",
                PCT,
                t(
                    "Keep monthly availability above 99.9%",
                    "月度可用性保持在 99.9% 以上",
                    "Mantener la disponibilidad mensual por encima del 99,9 %",
                ),
            ),
            down(
                480,
                300,
                MS,
                t(
                    "Cut p95 API response time from 480 ms to 300 ms",
                    "将 API 响应时间 p95 从 480 毫秒降到 300 毫秒",
                    "Reducir el tiempo de respuesta p95 de la API de 480 ms a 300 ms",
                ),
            ),
            down(
                95,
                30,
                MINUTES,
                t(
                    "Cut the mean time to restore service from 95 to 30 minutes",
                    "将平均恢复服务时间从 95 分钟缩短到 30 分钟",
                    "Reducir el tiempo medio de recuperación del servicio de 95 a 30 minutos",
                ),
            ),
        ),
        plans=(
            t(
                "Review last week's alerts on Monday and remove the noisy ones",
                "每周一复盘上周告警，清理无效告警",
                "Revisar los lunes las alertas de la semana y eliminar las que solo hacen ruido",
            ),
            t(
                "Rehearse one failure scenario every two weeks",
                "每两周演练一次故障场景",
                "Ensayar un escenario de fallo cada dos semanas",
            ),
            t(
                "Write a short review within three days of every incident",
                "每次事故后三天内写一份简短复盘",
                "Redactar una revisión breve en los tres días siguientes a cada incidente",
            ),
        ),
        note=t(
            "A keep-above key result holds a level (availability) while two from-to key results "
            "push for real change. Incident reviews and drills are the weekly plans.",
            "一条“保持在某值以上”的关键结果守住可用性水平，两条“从…到…”的关键结果推动真正的改变。"
            "事故复盘和演练是每周的计划。",
            "Un resultado de mantener por encima sostiene un nivel (disponibilidad) mientras "
            "dos de «de… a…» empujan un cambio real. Las revisiones y los simulacros son los "
            "planes semanales.",
        ),
    ),
    Entry(
        slug="engineering-fast-safe-changes",
        function="engineering",
        level=TEAM,
        type=COMMITTED,
        title=t(
            "Get changes into customers' hands quickly and safely",
            "快速而安全地把改动交到客户手中",
            "Llevar los cambios a los clientes con rapidez y seguridad",
        ),
        why=t(
            "A fix that takes a week to reach customers is a week of frustration for them. Big, "
            "rare releases are also the ones that break.",
            "一个修复要一周才能到客户手里，就意味着客户多"
            "忍受一周。而又大又少的版本，恰恰最容易出问题。",
            "Un arreglo que tarda una semana en llegar es una semana de frustración para el "
            "cliente. Además, las entregas grandes y escasas son las que se rompen.",
        ),
        key_results=(
            down(
                6,
                2,
                DAYS,
                t(
                    "Cut the lead time from merged change to production from 6 days to 2",
                    "将代码合并到进入生产环境的前置时间从 6 天缩短到 2 天",
                    "Reducir el tiempo desde la fusión de un cambio hasta producción de 6 a 2 días",
                ),
            ),
            down(
                20,
                4,
                HOURS,
                t(
                    "Cut the time a pull request waits for its first review from 20 to 4 hours",
                    "将合并请求等待首次评审的时间从 20 小时缩短到 4 小时",
                    "Reducir de 20 a 4 horas la espera de una solicitud de cambios hasta su "
                    "primera revisión",
                ),
            ),
            below(
                10,
                PCT,
                t(
                    "Keep the change failure rate below 10%",
                    "变更失败率保持在 10% 以下",
                    "Mantener la tasa de cambios fallidos por debajo del 10 %",
                ),
            ),
        ),
        plans=(
            t(
                "Put feature flags around the two risky changes planned this month",
                "为本月计划的两项高风险改动加上功能开关",
                "Poner interruptores de función en los dos cambios arriesgados del mes",
            ),
            t(
                "Start each day with a ten-minute review slot for open pull requests",
                "每天开工先留十分钟评审待处理的合并请求",
                "Empezar cada día con diez minutos para revisar las solicitudes de cambios "
                "abiertas",
            ),
        ),
        note=t(
            "Speed and safety are measured together, so one cannot be bought with the other. "
            "Counting deployments would reward activity; lead time and failure rate reward "
            "results.",
            "速度和安全放在一起衡量，谁也不能靠牺牲对方来换。统计部署次数是在奖励忙碌，前置时间和"
            "失败率才奖励结果。",
            "Velocidad y seguridad se miden juntas, para que una no se compre con la otra. "
            "Contar despliegues premiaría la actividad; el tiempo de entrega y la tasa de fallos "
            "premian los resultados.",
        ),
    ),
    Entry(
        slug="engineering-codebase-joy",
        function="engineering",
        level=TEAM,
        type=ASPIRATIONAL,
        title=t(
            "Make our codebase a place engineers enjoy working in",
            "让代码库成为工程师乐于工作的地方",
            "Un código en el que a los ingenieros les guste trabajar",
        ),
        why=t(
            "Slow builds and flaky tests eat an hour of every engineer's day, and new hires take "
            "two weeks to make their first change. Friction compounds.",
            "缓慢的构建和不稳定的测试每天吃掉每位工程师一小时，新人要两周才能提交第一个改动。"
            "摩擦会不断累积。",
            "Las compilaciones lentas y las pruebas inestables se comen una hora al día de cada "
            "ingeniero, y los nuevos tardan dos semanas en su primer cambio. La fricción se "
            "acumula.",
        ),
        key_results=(
            down(
                28,
                10,
                MINUTES,
                t(
                    "Cut the CI pipeline time from 28 to 10 minutes",
                    "将持续集成流水线耗时从 28 分钟缩短到 10 分钟",
                    "Reducir el tiempo del pipeline de integración continua de 28 a 10 minutos",
                ),
            ),
            down(
                8,
                1,
                PCT,
                t(
                    "Cut test runs failing for flaky reasons from 8% to 1%",
                    "将因不稳定测试而失败的运行比例从 8% 降到 1%",
                    "Reducir del 8 % al 1 % las ejecuciones que fallan por pruebas inestables",
                ),
            ),
            down(
                10,
                3,
                DAYS,
                t(
                    "Cut a new engineer's time to first merged change from 10 to 3 days",
                    "将新工程师提交首个被合并改动的时间从 10 天缩短到 3 天",
                    "Reducir de 10 a 3 días el tiempo hasta el primer cambio fusionado de un "
                    "ingeniero nuevo",
                ),
            ),
            up(
                "3.1",
                4,
                SCORE_5,
                t(
                    "Lift the developer experience survey from 3.1 to 4.0 out of 5",
                    "将开发体验调研评分从 3.1 提升到 4.0（满分 5）",
                    "Elevar la encuesta de experiencia de desarrollo de 3,1 a 4,0 sobre 5",
                ),
            ),
        ),
        plans=(
            t(
                "Quarantine the ten flakiest tests and fix two of them every week",
                "隔离最不稳定的十个测试，每周修好其中两个",
                "Aislar las diez pruebas más inestables y arreglar dos cada semana",
            ),
            t(
                "Have the next new hire narrate their setup and fix what trips them up",
                "请下一位新同事边搭建环境边讲述，把卡住他们的地方修掉",
                "Pedir a la próxima incorporación que narre su instalación y arreglar lo que la "
                "frene",
            ),
        ),
        note=t(
            "Engineering health written as outcomes rather than “refactor module X”. Four key "
            "results is the upper end of what works; the survey checks that the numbers match "
            "how it feels.",
            "把工程健康写成结果，而不是“重构某模块”。四条关键结果已是上限；调研用来确认数字和"
            "实际感受一致。",
            "La salud técnica escrita como resultados y no como «refactorizar el módulo X». "
            "Cuatro resultados clave es el máximo razonable; la encuesta comprueba que los "
            "números coinciden con la sensación.",
        ),
    ),
    Entry(
        slug="engineering-instant-pages",
        function="engineering",
        level=TEAM,
        type=COMMITTED,
        title=t(
            "Make every page feel instant, even on a slow connection",
            "即使网络很慢，每个页面也感觉瞬间打开",
            "Que cada página se sienta instantánea, incluso con mala conexión",
        ),
        why=t(
            "A third of our users work from sites with weak connections. Slow pages are the "
            "top complaint in their surveys, and they quietly use the product less.",
            "三分之一的用户在网络较差的地方办公。页面慢是他们调研中抱怨最多的问题，他们也因此默默"
            "少用了产品。",
            "Un tercio de los usuarios trabaja desde lugares con mala conexión. Las páginas "
            "lentas son su queja principal y, sin decirlo, usan menos el producto.",
        ),
        key_results=(
            down(
                "3.8",
                "1.8",
                SECONDS,
                t(
                    "Cut the p75 page load time from 3.8 to 1.8 seconds",
                    "将页面加载时间 p75 从 3.8 秒缩短到 1.8 秒",
                    "Reducir el tiempo de carga p75 de las páginas de 3,8 a 1,8 segundos",
                ),
            ),
            up(
                45,
                85,
                PCT,
                t(
                    "Raise pages passing the Core Web Vitals from 45% to 85%",
                    "将通过核心网页指标（Core Web Vitals）的页面占比从 45% 提高到 85%",
                    "Subir del 45 % al 85 % las páginas que aprueban las Core Web Vitals",
                ),
            ),
            below(
                5,
                PCT,
                t(
                    "Keep page views slower than 4 seconds below 5%",
                    "加载超过 4 秒的页面访问占比保持在 5% 以下",
                    "Mantener por debajo del 5 % las visitas a páginas que tardan más de 4 "
                    "segundos",
                ),
            ),
        ),
        plans=(
            t(
                "Profile the three most visited pages on a throttled connection",
                "在限速网络下分析访问量最高的三个页面",
                "Perfilar las tres páginas más visitadas con una conexión limitada",
            ),
            t(
                "Add a performance budget check to every pull request",
                "在每个合并请求中加入性能预算检查",
                "Añadir una comprobación de presupuesto de rendimiento a cada solicitud de cambios",
            ),
        ),
        note=t(
            "Performance written as what users experience, with a keep-below key result for the "
            "long tail. The budget check is a plan that protects the result.",
            "用用户体验来表达性能，并用一条“保持在某值以下”的关键结果管住长尾。性能预算检查是保护"
            "结果的计划。",
            "El rendimiento expresado como lo que vive el usuario, con un resultado de mantener "
            "por debajo para la cola larga. El control de presupuesto es un plan que protege el "
            "resultado.",
        ),
    ),
    Entry(
        slug="engineering-serve-for-less",
        function="engineering",
        level=TEAM,
        type=COMMITTED,
        title=t(
            "Serve every customer for less without slowing anyone down",
            "以更低成本服务每位客户，同时不拖慢任何人",
            "Atender a cada cliente por menos sin ralentizar a nadie",
        ),
        why=t(
            "Cloud spend grew twice as fast as revenue this year. Most of it pays for capacity "
            "that sits idle.",
            "今年云支出的增速是收入的两倍，其中大部分花在了闲置的容量上。",
            "Este año el gasto en la nube creció el doble de rápido que los ingresos. Casi todo "
            "paga capacidad que está ociosa.",
        ),
        key_results=(
            down(
                "1.80",
                "1.20",
                USD,
                t(
                    "Cut cloud cost per active account from $1.80 to $1.20 a month",
                    "将每个活跃客户每月的云成本从 1.80 美元降到 1.20 美元",
                    "Reducir el coste de nube por cuenta activa de 1,80 a 1,20 US$ al mes",
                ),
            ),
            up(
                25,
                55,
                PCT,
                t(
                    "Raise average cluster utilisation from 25% to 55%",
                    "将集群平均利用率从 25% 提高到 55%",
                    "Subir el uso medio del clúster del 25 % al 55 %",
                ),
            ),
            below(
                350,
                MS,
                t(
                    "Keep p95 response time below 350 ms throughout",
                    "p95 响应时间始终保持在 350 毫秒以下",
                    "Mantener en todo momento el tiempo de respuesta p95 por debajo de 350 ms",
                ),
            ),
        ),
        plans=(
            t(
                "Tag every resource with its owning team and review the top ten costs weekly",
                "为每项资源标注所属团队，每周复盘成本最高的十项",
                "Etiquetar cada recurso con su equipo y revisar cada semana los diez más caros",
            ),
            t(
                "Turn off staging environments outside working hours",
                "非工作时间关闭预发布环境",
                "Apagar los entornos de preproducción fuera del horario laboral",
            ),
        ),
        note=t(
            "Cost is cut against a quality guardrail: the keep-below key result makes sure "
            "savings never come out of the customers' experience.",
            "降本配有质量护栏：“保持在某值以下”的关键结果确保省下的钱不是从客户体验里扣出来的。",
            "El coste baja con una barrera de calidad: el resultado de mantener por debajo "
            "asegura que el ahorro nunca salga de la experiencia del cliente.",
        ),
    ),
    Entry(
        slug="engineering-catch-mistakes-first",
        function="engineering",
        level=TEAM,
        type=COMMITTED,
        title=t(
            "Catch our mistakes before customers do",
            "在客户发现之前先发现我们的错误",
            "Detectar nuestros errores antes que los clientes",
        ),
        why=t(
            "Half of our incidents were first reported by a customer. Each one costs trust that "
            "a quiet fix would have kept.",
            "我们一半的事故是客户先发现并上报的。每一次都在消耗信任，而悄悄修好本可以保住它。",
            "La mitad de nuestros incidentes los avisó primero un cliente. Cada uno cuesta una "
            "confianza que un arreglo discreto habría conservado.",
        ),
        key_results=(
            down(
                60,
                25,
                PER_MONTH,
                t(
                    "Cut bugs reported by customers from 60 to 25 a month",
                    "将客户上报的缺陷从每月 60 个降到 25 个",
                    "Reducir los errores que notifican los clientes de 60 a 25 al mes",
                ),
            ),
            up(
                50,
                90,
                PCT,
                t(
                    "Raise incidents detected by our own alerts first from 50% to 90%",
                    "将由我们自己的告警先发现的事故比例从 50% 提高到 90%",
                    "Subir del 50 % al 90 % los incidentes que detectan antes nuestras alertas",
                ),
            ),
            down(
                15,
                5,
                PCT,
                t(
                    "Cut reopened bug tickets from 15% to 5%",
                    "将重新打开的缺陷工单比例从 15% 降到 5%",
                    "Reducir los tickets de errores reabiertos del 15 % al 5 %",
                ),
            ),
        ),
        plans=(
            t(
                "Add an alert for each customer-reported incident that had none",
                "为每个没有告警覆盖的客户上报事故补上告警",
                "Añadir una alerta por cada incidente avisado por un cliente que no la tenía",
            ),
            t(
                "Pair on the root cause of every reopened ticket",
                "对每张被重新打开的工单结对分析根因",
                "Analizar en pareja la causa de cada ticket reabierto",
            ),
        ),
        note=t(
            "Quality as outcomes customers feel, rather than “write more tests”. The tests are a "
            "plan; fewer escaped bugs are the result.",
            "以客户感受到的结果衡量质量，而不是“多写测试”。写测试是计划，逃逸缺陷减少才是结果。",
            "La calidad como resultados que nota el cliente, no como «escribir más pruebas». Las "
            "pruebas son un plan; menos errores que se escapan son el resultado.",
        ),
    ),
)

DESIGN = (
    Entry(
        slug="design-everyday-tasks-obvious",
        function="design",
        level=TEAM,
        type=COMMITTED,
        title=t(
            "Make everyday tasks obvious to first-time users",
            "让新用户一眼就会做日常操作",
            "Que las tareas diarias resulten evidentes desde el primer uso",
        ),
        why=t(
            "In usability tests, four in ten newcomers could not update a key result without "
            "help. If the basics need a manual, people stop before they see the value.",
            "可用性测试中，十个新用户里有四个在没人帮助的情况下无法更新关键结果。如果连基础操作都"
            "要看说明书，用户还没看到价值就放弃了。",
            "En las pruebas de usabilidad, cuatro de cada diez recién llegados no supieron "
            "actualizar un resultado clave sin ayuda. Si lo básico necesita manual, la gente "
            "abandona antes de ver el valor.",
        ),
        key_results=(
            up(
                62,
                85,
                PCT,
                t(
                    "Raise the task success rate in usability tests from 62% to 85%",
                    "将可用性测试中的任务成功率从 62% 提高到 85%",
                    "Subir la tasa de éxito de las tareas en pruebas de usabilidad del 62 % al "
                    "85 %",
                ),
            ),
            down(
                9,
                4,
                MINUTES,
                t(
                    "Cut the time to set up a first objective from 9 to 4 minutes",
                    "将设置第一个目标所需时间从 9 分钟缩短到 4 分钟",
                    "Reducir el tiempo para crear el primer objetivo de 9 a 4 minutos",
                ),
            ),
            up(
                64,
                75,
                measure("SUS points", "SUS 分", "puntos SUS"),
                t(
                    "Lift the System Usability Scale score from 64 to 75",
                    "将系统可用性量表（SUS）得分从 64 提升到 75",
                    "Elevar la puntuación de la escala de usabilidad SUS de 64 a 75",
                ),
            ),
        ),
        plans=(
            t(
                "Test the updated check-in screen with five new users this week",
                "本周请五位新用户测试改版后的进展更新页面",
                "Probar esta semana la nueva pantalla de actualización con cinco usuarios nuevos",
            ),
            t(
                "Replace the three labels users misread most often",
                "替换用户最常误解的三个标签文案",
                "Cambiar las tres etiquetas que más se malinterpretan",
            ),
        ),
        note=t(
            "Design work measured by what users can do, not by screens delivered. The survey "
            "score, the timing and the success rate check the same change from three angles.",
            "用用户能做到什么来衡量设计工作，而不是交付了多少页面。量表得分、耗时和成功率从三个"
            "角度检验同一个变化。",
            "El diseño se mide por lo que los usuarios consiguen hacer, no por las pantallas "
            "entregadas. La encuesta, el tiempo y la tasa de éxito comprueban el mismo cambio "
            "desde tres ángulos.",
        ),
    ),
    Entry(
        slug="design-accessible-for-everyone",
        function="design",
        level=TEAM,
        type=COMMITTED,
        title=t(
            "Make the product comfortable for everyone, whatever their abilities",
            "让每个人都能舒适地使用产品，无论其能力如何",
            "Un producto cómodo para todos, sean cuales sean sus capacidades",
        ),
        why=t(
            "Two public-sector customers asked for an accessibility statement, and some of our "
            "own colleagues rely on a keyboard or a screen reader. Today too much of the "
            "product shuts them out.",
            "两家公共部门客户要求我们提供无障碍声明，我们自己也有同事依赖键盘或读屏软件。如今产品"
            "有太多地方把他们挡在门外。",
            "Dos clientes del sector público pidieron una declaración de accesibilidad, y "
            "algunos compañeros dependen del teclado o de un lector de pantalla. Hoy demasiadas "
            "partes del producto los dejan fuera.",
        ),
        key_results=(
            down(
                140,
                10,
                measure("issues", "个问题", "incidencias"),
                t(
                    "Cut WCAG AA issues on the core screens from 140 to 10",
                    "将核心页面的 WCAG AA 问题从 140 个减少到 10 个",
                    "Reducir las incidencias WCAG AA de las pantallas principales de 140 a 10",
                ),
            ),
            up(
                40,
                100,
                PCT,
                t(
                    "Raise the core flows usable with a keyboard alone from 40% to 100%",
                    "将仅用键盘即可操作的核心流程占比从 40% 提高到 100%",
                    "Subir del 40 % al 100 % los flujos principales que se pueden usar solo con "
                    "teclado",
                ),
            ),
            up(
                "2.5",
                4,
                SCORE_5,
                t(
                    "Lift the rating from screen-reader test sessions from 2.5 to 4 out of 5",
                    "将读屏软件用户测试评分从 2.5 提升到 4（满分 5）",
                    "Elevar la valoración en pruebas con lector de pantalla de 2,5 a 4 sobre 5",
                ),
            ),
        ),
        plans=(
            t(
                "Run the automated audit on every pull request that touches the interface",
                "对每个涉及界面的合并请求运行自动化无障碍检查",
                "Pasar la auditoría automática en cada solicitud de cambios que toque la interfaz",
            ),
            t(
                "Invite two screen-reader users to test the check-in flow",
                "邀请两位读屏软件用户测试进展更新流程",
                "Invitar a dos usuarios de lector de pantalla a probar el flujo de actualización",
            ),
        ),
        note=t(
            "From 40% to 100% is a legitimate from-to key result: it measures how much of the "
            "product works, not whether a project is done.",
            "从 40% 到 100% 是合理的“从…到…”关键结果：它衡量的是产品有多少部分可用，而不是某个"
            "项目做没做完。",
            "Del 40 % al 100 % es un resultado clave legítimo: mide cuánto del producto "
            "funciona, no si un proyecto está terminado.",
        ),
    ),
    Entry(
        slug="design-one-look-and-feel",
        function="design",
        level=TEAM,
        type=ASPIRATIONAL,
        title=t(
            "Give every screen one look, one voice and one feel",
            "让每个页面都有统一的外观、语气和手感",
            "Un mismo aspecto, una misma voz y un mismo tacto en cada pantalla",
        ),
        why=t(
            "The product grew screen by screen and it shows: four kinds of date picker and "
            "buttons that behave differently. Inconsistency makes the product feel harder than "
            "it is.",
            "产品是一个页面一个页面长出来的，这一点很明显：四种日期选择器，按钮行为各不相同。"
            "不一致让产品显得比实际更难用。",
            "El producto creció pantalla a pantalla y se nota: cuatro selectores de fecha "
            "distintos y botones que se comportan de forma diferente. La incoherencia lo hace "
            "parecer más difícil de lo que es.",
        ),
        key_results=(
            up(
                35,
                80,
                PCT,
                t(
                    "Raise screens using design system components from 35% to 80%",
                    "将使用设计系统组件的页面占比从 35% 提高到 80%",
                    "Subir del 35 % al 80 % las pantallas que usan componentes del sistema de "
                    "diseño",
                ),
            ),
            down(
                23,
                4,
                measure("styles", "种样式", "estilos"),
                t(
                    "Cut distinct button styles in the product from 23 to 4",
                    "将产品中不同的按钮样式从 23 种减少到 4 种",
                    "Reducir los estilos de botón distintos del producto de 23 a 4",
                ),
            ),
            down(
                30,
                10,
                PER_MONTH,
                t(
                    "Cut visual inconsistency bugs from 30 to 10 a month",
                    "将视觉不一致类缺陷从每月 30 个降到 10 个",
                    "Reducir los errores de incoherencia visual de 30 a 10 al mes",
                ),
            ),
        ),
        plans=(
            t(
                "Replace the old date pickers on the two busiest screens",
                "替换访问量最高的两个页面上的旧日期选择器",
                "Sustituir los selectores de fecha antiguos en las dos pantallas más usadas",
            ),
            t(
                "Hold a 30-minute component review with engineers every Thursday",
                "每周四与工程师开 30 分钟组件评审",
                "Revisar componentes 30 minutos con ingeniería cada jueves",
            ),
        ),
        note=t(
            "Consistency is hard to count, so the key results pick numbers that move with it. "
            "Aspirational: reaching 80% coverage in one cycle would be remarkable.",
            "一致性很难计数，所以关键结果选取了随之变化的数字。挑战型目标：一个周期内覆盖率达到 80%"
            "就很了不起了。",
            "La coherencia es difícil de contar, así que los resultados clave eligen números que "
            "se mueven con ella. Aspiracional: llegar al 80 % en un ciclo sería notable.",
        ),
    ),
    Entry(
        slug="design-customer-voice",
        function="design",
        level=TEAM,
        type=COMMITTED,
        title=t(
            "Put real customer voices behind every design decision",
            "让每个设计决策背后都有真实的客户声音",
            "Que cada decisión de diseño se apoye en la voz real de los clientes",
        ),
        why=t(
            "Too many redesigns are reversed after release because nobody asked the people who "
            "use the screens every day.",
            "太多改版在上线后又被撤回，只因为没人问过每天使用这些页面的人。",
            "Demasiados rediseños se deshacen tras salir porque nadie preguntó a quienes usan "
            "esas pantallas a diario.",
        ),
        key_results=(
            down(
                12,
                4,
                measure("rollbacks", "次回退", "marchas atrás"),
                t(
                    "Cut redesigns rolled back after release from 12 to 4 a quarter",
                    "将每季度正式使用后被回退的改版从 12 次减少到 4 次",
                    "Reducir los rediseños revertidos tras su salida de 12 a 4 por trimestre",
                ),
            ),
            up(
                "3.4",
                "4.2",
                SCORE_5,
                t(
                    "Lift satisfaction with redesigned screens from 3.4 to 4.2 out of 5",
                    "将改版页面的满意度从 3.4 提升到 4.2（满分 5）",
                    "Elevar la satisfacción con las pantallas rediseñadas de 3,4 a 4,2 sobre 5",
                ),
            ),
            up(
                30,
                75,
                PCT,
                t(
                    "Raise design decisions backed by user evidence from 30% to 75%",
                    "将有用户证据支撑的设计决策占比从 30% 提高到 75%",
                    "Subir del 30 % al 75 % las decisiones de diseño respaldadas por evidencia de "
                    "usuarios",
                ),
            ),
        ),
        plans=(
            t(
                "Keep a shared research log and link each decision to its evidence",
                "维护一份共享的研究日志，把每个决策和证据关联起来",
                "Mantener un registro de investigación compartido y enlazar cada decisión con su "
                "evidencia",
            ),
            t(
                "Invite a customer to the design review every other week",
                "每两周邀请一位客户参加设计评审",
                "Invitar a un cliente a la revisión de diseño cada dos semanas",
            ),
        ),
        note=t(
            "“Do more user research” is an activity. Fewer reversals and happier users are the "
            "outcomes the research exists to produce.",
            "“多做用户研究”只是活动。更少的回退和更满意的用户，才是研究要产出的结果。",
            "«Investigar más con usuarios» es una actividad. Menos marchas atrás y usuarios más "
            "contentos son los resultados que busca esa investigación.",
        ),
    ),
)

DATA = (
    Entry(
        slug="data-trusted-numbers",
        function="data",
        level=TEAM,
        type=COMMITTED,
        title=t(
            "Make our numbers something everyone trusts without asking",
            "让我们的数据不用追问就值得所有人信任",
            "Que todos confíen en nuestros números sin tener que preguntar",
        ),
        why=t(
            "Two board reports went out with wrong figures this year. When people doubt the "
            "dashboards, they build their own spreadsheets and every meeting starts with an "
            "argument about numbers.",
            "今年有两份董事会报告用了错误的数字。人们一旦怀疑看板，就会各做各的表格，每次开会都"
            "先为数字吵一架。",
            "Este año dos informes al consejo salieron con cifras erróneas. Cuando la gente duda "
            "de los paneles, se hace sus propias hojas de cálculo y cada reunión empieza "
            "discutiendo números.",
        ),
        key_results=(
            down(
                12,
                3,
                measure("incidents", "次事故", "incidentes"),
                t(
                    "Cut data incidents with wrong numbers reported from 12 to 3 a quarter",
                    "将每季度报出错误数字的数据事故从 12 次降到 3 次",
                    "Reducir los incidentes con cifras erróneas de 12 a 3 por trimestre",
                ),
            ),
            up(
                20,
                80,
                PCT,
                t(
                    "Raise the dashboards built on certified definitions from 20% to 80%",
                    "将基于认证口径的看板占比从 20% 提高到 80%",
                    "Subir del 20 % al 80 % los paneles basados en definiciones certificadas",
                ),
            ),
            above(
                95,
                PCT,
                t(
                    "Keep daily data ready by 08:00 on more than 95% of days",
                    "每日数据在 8 点前就绪的天数占比保持在 95% 以上",
                    "Tener los datos diarios listos antes de las 8:00 en más del 95 % de los días",
                ),
            ),
        ),
        plans=(
            t(
                "Agree the definitions of the ten most used metrics with their owners",
                "与指标负责人敲定最常用的十个指标口径",
                "Acordar con sus responsables la definición de las diez métricas más usadas",
            ),
            t(
                "Add automated checks on the tables behind the board report",
                "为董事会报告背后的数据表加上自动化校验",
                "Añadir comprobaciones automáticas a las tablas del informe al consejo",
            ),
        ),
        note=t(
            "Trust is qualitative, so the key results pick what moves it: fewer errors, shared "
            "definitions and data that arrives on time.",
            "信任是定性的，所以关键结果选择了影响它的因"
            "素：更少的错误、统一的口径、按时到达的数据。",
            "La confianza es cualitativa; por eso los resultados clave eligen lo que la mueve: "
            "menos errores, definiciones compartidas y datos que llegan a tiempo.",
        ),
    ),
    Entry(
        slug="data-answers-in-minutes",
        function="data",
        level=TEAM,
        type=COMMITTED,
        title=t(
            "Let teams answer their own questions in minutes",
            "让各团队几分钟内就能自己找到答案",
            "Que los equipos respondan sus propias preguntas en minutos",
        ),
        why=t(
            "Analysts spend most of their week on small requests while deeper questions wait. "
            "Teams wait four days for numbers they could look up themselves.",
            "分析师一周大部分时间都在处理零碎请求，更深入的问题只能排队。各团队要等四天才能拿到"
            "其实可以自己查到的数字。",
            "Los analistas dedican casi toda la semana a peticiones pequeñas mientras esperan "
            "las preguntas de fondo. Los equipos aguardan cuatro días por cifras que podrían "
            "consultar solos.",
        ),
        key_results=(
            down(
                150,
                60,
                PER_MONTH,
                t(
                    "Cut routine data requests to analysts from 150 to 60 a month",
                    "将提给分析师的常规数据请求从每月 150 个降到 60 个",
                    "Reducir las peticiones rutinarias a analistas de 150 a 60 al mes",
                ),
            ),
            up(
                80,
                250,
                measure("people", "人", "personas"),
                t(
                    "Grow weekly users of self-serve dashboards from 80 to 250",
                    "将自助看板的周活跃用户从 80 人增加到 250 人",
                    "Aumentar los usuarios semanales de paneles de autoservicio de 80 a 250",
                ),
            ),
            down(
                4,
                1,
                DAYS,
                t(
                    "Cut the median wait for a data answer from 4 days to 1",
                    "将获得数据答复的中位等待时间从 4 天缩短到 1 天",
                    "Reducir la espera mediana de una respuesta de datos de 4 días a 1",
                ),
            ),
        ),
        plans=(
            t(
                "Turn the five most frequent requests into filters on one dashboard",
                "把最常见的五类请求做成同一个看板上的筛选项",
                "Convertir las cinco peticiones más frecuentes en filtros de un panel",
            ),
            t(
                "Hold a 30-minute office hour every Wednesday instead of ad-hoc pings",
                "每周三设 30 分钟答疑时间，替代随时打扰",
                "Abrir una consulta de 30 minutos cada miércoles en lugar de mensajes sueltos",
            ),
        ),
        note=t(
            "Dashboards are outputs; fewer requests, more self-serve users and shorter waits "
            "show whether they help.",
            "看板是产出；请求变少、自助用户变多、等待变短，才说明看板真的有用。",
            "Los paneles son entregables; menos peticiones, más usuarios autónomos y esperas más "
            "cortas muestran si ayudan.",
        ),
    ),
    Entry(
        slug="data-forecast-demand",
        function="data",
        level=TEAM,
        type=ASPIRATIONAL,
        title=t(
            "See future demand clearly enough to plan with it",
            "把未来需求看得足够清楚，能够据此做计划",
            "Ver la demanda futura con la claridad necesaria para planificar",
        ),
        why=t(
            "Purchasing still orders stock on gut feeling, because our forecast misses by more "
            "than a fifth. A forecast people use would cut both stockouts and waste.",
            "采购仍凭感觉订货，因为我们的预测偏差超过五分之一。一个大家真正会用的预测，能同时减少"
            "缺货和浪费。",
            "Compras sigue pidiendo a ojo porque nuestra previsión falla en más de una quinta "
            "parte. Una previsión que la gente use reduciría las roturas de stock y el "
            "desperdicio.",
        ),
        key_results=(
            down(
                22,
                10,
                PCT,
                t(
                    "Cut the weekly demand forecast error (MAPE) from 22% to 10%",
                    "将每周需求预测误差（MAPE）从 22% 降到 10%",
                    "Reducir el error de la previsión semanal de demanda (MAPE) del 22 % al 10 %",
                ),
            ),
            up(
                30,
                80,
                PCT,
                t(
                    "Raise stock orders based on the forecast from 30% to 80%",
                    "将依据预测下达的补货订单占比从 30% 提高到 80%",
                    "Subir del 30 % al 80 % los pedidos de stock basados en la previsión",
                ),
            ),
            above(
                95,
                PCT,
                t(
                    "Keep the forecast ready before Monday 09:00 on more than 95% of weeks",
                    "每周一 9 点前备好预测的周数占比保持在 95% 以上",
                    "Tener la previsión lista antes del lunes a las 9:00 en más del 95 % de las "
                    "semanas",
                ),
            ),
        ),
        plans=(
            t(
                "Sit with two buyers to see how they decide an order today",
                "与两位采购员一起，看看他们现在如何决定订货",
                "Sentarse con dos compradores para ver cómo deciden hoy un pedido",
            ),
            t(
                "Compare the forecast with actual sales every Monday and log the biggest misses",
                "每周一对比预测与实际销量，记录偏差最大的几项",
                "Comparar cada lunes la previsión con las ventas reales y anotar los mayores "
                "fallos",
            ),
        ),
        note=t(
            "A model nobody uses is an output. The adoption key result makes the team own the "
            "result, not just the accuracy. Aspirational: halving the error is a stretch.",
            "没人用的模型只是产出。“使用率”这条关键结果让团队对最终结果负责，而不仅是准确率。"
            "挑战型目标：误差减半很有难度。",
            "Un modelo que nadie usa es un entregable. El resultado de uso hace que el equipo "
            "responda por el efecto, no solo por la precisión. Aspiracional: reducir el error a "
            "la mitad es un reto.",
        ),
    ),
    Entry(
        slug="data-experiments-normal",
        function="data",
        level=TEAM,
        type=COMMITTED,
        title=t(
            "Make experiments the normal way we decide",
            "让实验成为我们做决策的常规方式",
            "Que los experimentos sean nuestra forma habitual de decidir",
        ),
        why=t(
            "Most product changes go out to everyone at once, so we never learn whether they "
            "helped. The loudest opinion wins too often.",
            "大多数产品改动一次性推给所有人，我们永远不知道它到底有没有用。太多时候是嗓门最大的"
            "意见胜出。",
            "Casi todos los cambios de producto llegan a todos a la vez, así que nunca sabemos "
            "si ayudaron. Demasiadas veces gana la opinión que más se oye.",
        ),
        key_results=(
            up(
                15,
                50,
                PCT,
                t(
                    "Raise product changes tested in a controlled experiment from 15% to 50%",
                    "将经过对照实验验证的产品改动占比从 15% 提高到 50%",
                    "Subir del 15 % al 50 % los cambios de producto probados con un experimento "
                    "controlado",
                ),
            ),
            down(
                30,
                14,
                DAYS,
                t(
                    "Cut the time from idea to experiment result from 30 to 14 days",
                    "将从想法到拿到实验结果的时间从 30 天缩短到 14 天",
                    "Reducir el tiempo de la idea al resultado del experimento de 30 a 14 días",
                ),
            ),
            below(
                5,
                PCT,
                t(
                    "Keep experiments with a broken sample split below 5%",
                    "样本分配异常的实验比例保持在 5% 以下",
                    "Mantener por debajo del 5 % los experimentos con reparto de muestra "
                    "defectuoso",
                ),
            ),
        ),
        plans=(
            t(
                "Offer a ready-made experiment template to the next three product changes",
                "为接下来的三个产品改动提供现成的实验模板",
                "Ofrecer una plantilla de experimento a los tres próximos cambios de producto",
            ),
            t(
                "Review running experiments with product every Tuesday",
                "每周二与产品团队一起查看进行中的实验",
                "Revisar con producto los experimentos en marcha cada martes",
            ),
        ),
        note=t(
            "The objective describes a habit we want; the key results measure how widespread, "
            "how fast and how sound it is. Counting “experiments run” would reward quantity.",
            "目标描述的是我们希望养成的习惯；关键结果衡量它有多普及、多快、多可靠。统计“做了几个"
            "实验”只会奖励数量。",
            "El objetivo describe un hábito; los resultados clave miden cuánto se extiende, qué "
            "tan rápido y qué tan sólido es. Contar «experimentos hechos» premiaría la cantidad.",
        ),
    ),
    Entry(
        slug="data-quiet-pipelines",
        function="data",
        level=TEAM,
        type=COMMITTED,
        title=t(
            "Keep our data pipelines quiet, punctual and correct",
            "让数据管道安静、准时、准确地运行",
            "Canalizaciones de datos silenciosas, puntuales y correctas",
        ),
        why=t(
            "The team spends Monday mornings repairing weekend failures, and some breaks go "
            "unnoticed for hours while reports show stale numbers.",
            "团队每周一上午都在修周末出的故障，有些故障几"
            "小时都没人发现，报表却一直显示着过时的数字。",
            "El equipo pasa las mañanas de lunes reparando fallos del fin de semana, y algunas "
            "roturas pasan horas sin detectarse mientras los informes muestran cifras viejas.",
        ),
        key_results=(
            up(
                93,
                "99.5",
                PCT,
                t(
                    "Raise the pipeline success rate from 93% to 99.5%",
                    "将数据管道运行成功率从 93% 提高到 99.5%",
                    "Subir la tasa de éxito de las canalizaciones del 93 % al 99,5 %",
                ),
            ),
            down(
                6,
                "0.5",
                HOURS,
                t(
                    "Cut the time to detect a broken pipeline from 6 hours to 0.5",
                    "将发现管道故障的时间从 6 小时缩短到 0.5 小时",
                    "Reducir el tiempo en detectar una canalización rota de 6 horas a 0,5",
                ),
            ),
            down(
                15,
                3,
                measure("fixes a week", "次/周", "arreglos a la semana"),
                t(
                    "Cut manual data fixes from 15 to 3 a week",
                    "将手工修数从每周 15 次减少到 3 次",
                    "Reducir los arreglos manuales de datos de 15 a 3 por semana",
                ),
            ),
        ),
        plans=(
            t(
                "Add freshness alerts to the ten tables most reports depend on",
                "为大多数报表依赖的十张表加上数据新鲜度告警",
                "Añadir alertas de frescura a las diez tablas de las que dependen más informes",
            ),
            t(
                "Track the cause of every manual fix in one shared sheet",
                "在一张共享表中记录每次手工修数的原因",
                "Registrar la causa de cada arreglo manual en una hoja compartida",
            ),
        ),
        note=t(
            "Operational health expressed as outcomes with a start and a target. The alerts and "
            "the fix log are plans that feed them week by week.",
            "把运行健康表达为有起点和目标的结果。告警和修数记录是每周推动它们的计划。",
            "La salud operativa expresada como resultados con punto de partida y meta. Las "
            "alertas y el registro de arreglos son planes que los alimentan cada semana.",
        ),
    ),
)

ENTRIES = PRODUCT + ENGINEERING + DESIGN + DATA
