"""Examples for the teams that keep things running: support, operations, security, IT."""

from __future__ import annotations

from .model import (
    ASPIRATIONAL,
    COMMITTED,
    DAYS,
    HOURS,
    MINUTES,
    PCT,
    PER_MONTH,
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

TICKETS = measure("tickets", "张工单", "tickets")

SUPPORT = (
    Entry(
        slug="support-answer-while-fresh",
        function="support",
        level=TEAM,
        type=COMMITTED,
        title=t(
            "Customers hear from us while their problem is still fresh",
            "趁问题还新鲜的时候就回应客户",
            "Que los clientes tengan respuesta mientras su problema sigue fresco",
        ),
        why=t(
            "A customer who waits nine hours for a first reply has often found a workaround, or "
            "a competitor. Slow answers turn small problems into cancellations.",
            "等了九个小时才收到首次回复的客户，往往已经自己想了办法，或者找了竞争对手。回复慢会把"
            "小问题拖成退订。",
            "Un cliente que espera nueve horas la primera respuesta muchas veces ya encontró un "
            "apaño, o a la competencia. Las respuestas lentas convierten problemas pequeños en "
            "bajas.",
        ),
        key_results=(
            down(
                9,
                2,
                HOURS,
                t(
                    "Cut the median time to first reply from 9 hours to 2",
                    "将首次回复的中位时间从 9 小时缩短到 2 小时",
                    "Reducir la mediana del tiempo de primera respuesta de 9 horas a 2",
                ),
            ),
            above(
                90,
                PCT,
                t(
                    "Keep customer satisfaction with support above 90%",
                    "客服满意度保持在 90% 以上",
                    "Mantener la satisfacción con soporte por encima del 90 %",
                ),
            ),
            down(
                70,
                10,
                TICKETS,
                t(
                    "Cut tickets left waiting more than 48 hours from 70 to 10",
                    "将等待超过 48 小时的工单从 70 张减少到 10 张",
                    "Reducir de 70 a 10 los tickets que esperan más de 48 horas",
                ),
            ),
        ),
        plans=(
            t(
                "Cover the morning peak with a rotating first-reply shift",
                "安排轮值的首次回复班次，覆盖早高峰",
                "Cubrir el pico de la mañana con un turno rotativo de primera respuesta",
            ),
            t(
                "Clear the oldest ten tickets together every day at 4 pm",
                "每天下午 4 点大家一起清理最久未处理的十张工单",
                "Despejar juntos cada día a las 16:00 los diez tickets más antiguos",
            ),
        ),
        note=t(
            "Speed is balanced with a keep-above key result on satisfaction, so fast but "
            "careless replies would not count as success.",
            "速度配了一条“保持在某值以上”的满意度关键结果，又快又敷衍的回复不能算成功。",
            "La rapidez va equilibrada con un resultado de mantener la satisfacción, así que "
            "responder rápido pero mal no contaría como éxito.",
        ),
    ),
    Entry(
        slug="support-before-they-need-us",
        function="support",
        level=TEAM,
        type=COMMITTED,
        title=t(
            "Help customers solve common problems before they need us",
            "让客户在需要找我们之前就解决常见问题",
            "Que los clientes resuelvan los problemas comunes antes de necesitarnos",
        ),
        why=t(
            "Forty percent of tickets ask questions the help centre already answers, if only "
            "people could find the answer. Every avoidable ticket is time taken from hard "
            "cases.",
            "四成工单问的是帮助中心早已回答过的问题，只是大家找不到。每张本可避免的工单，都在挤占"
            "处理疑难问题的时间。",
            "El cuarenta por ciento de los tickets pregunta cosas que el centro de ayuda ya "
            "responde, si la gente encontrara la respuesta. Cada ticket evitable quita tiempo a "
            "los casos difíciles.",
        ),
        key_results=(
            down(
                42,
                28,
                measure("tickets per 1,000 users", "张/千用户", "tickets por 1.000 usuarios"),
                t(
                    "Cut tickets per 1,000 active users from 42 to 28",
                    "将每千名活跃用户产生的工单数从 42 张降到 28 张",
                    "Reducir los tickets por cada 1.000 usuarios activos de 42 a 28",
                ),
            ),
            up(
                35,
                55,
                PCT,
                t(
                    "Raise help-centre visits that end without a ticket from 35% to 55%",
                    "将未提交工单即结束的帮助中心访问占比从 35% 提高到 55%",
                    "Subir del 35 % al 55 % las visitas al centro de ayuda que terminan sin ticket",
                ),
            ),
            above(
                80,
                PCT,
                t(
                    "Keep the share of help articles rated useful above 80%",
                    "被评为“有用”的帮助文章占比保持在 80% 以上",
                    "Mantener por encima del 80 % los artículos de ayuda valorados como útiles",
                ),
            ),
        ),
        plans=(
            t(
                "Rewrite the five articles linked most often in ticket replies",
                "改写工单回复中被引用最多的五篇文章",
                "Reescribir los cinco artículos más enlazados en las respuestas a tickets",
            ),
            t(
                "Show suggested articles in the contact form as people type",
                "在联系表单中随输入推荐相关文章",
                "Mostrar artículos sugeridos en el formulario de contacto mientras se escribe",
            ),
        ),
        note=t(
            "Normalising tickets by active users keeps the key result fair as we grow. The "
            "keep-above key result checks that deflection comes from useful answers, not from "
            "hiding the contact form.",
            "按活跃用户数折算工单量，保证了业务增长时这条关键结果依然公平。“保持在某值以上”的关键"
            "结果确保工单减少是因为答案有用，而不是藏起了联系入口。",
            "Medir los tickets por usuario activo mantiene justo el resultado clave aunque "
            "crezcamos. El de mantener por encima comprueba que la reducción viene de respuestas "
            "útiles y no de esconder el formulario.",
        ),
    ),
    Entry(
        slug="support-one-conversation",
        function="support",
        level=TEAM,
        type=COMMITTED,
        title=t(
            "Solve problems in a single conversation",
            "一次对话就把问题解决",
            "Resolver los problemas en una sola conversación",
        ),
        why=t(
            "Customers hate repeating themselves. Every hand-off and every reopened ticket "
            "doubles the effort on both sides.",
            "客户最讨厌一遍遍重复自己的问题。每一次转交、每一张被重新打开的工单，都让双方的工作量"
            "翻倍。",
            "A los clientes les molesta repetirse. Cada traspaso y cada ticket reabierto "
            "duplican el esfuerzo de ambas partes.",
        ),
        key_results=(
            up(
                58,
                75,
                PCT,
                t(
                    "Raise first-contact resolution from 58% to 75%",
                    "将首次接触解决率从 58% 提高到 75%",
                    "Subir la resolución en el primer contacto del 58 % al 75 %",
                ),
            ),
            down(
                120,
                60,
                PER_MONTH,
                t(
                    "Halve escalations to engineering from 120 to 60 a month",
                    "将升级到研发的工单从每月 120 张减半到 60 张",
                    "Reducir a la mitad los escalados a ingeniería, de 120 a 60 al mes",
                ),
            ),
            down(
                11,
                5,
                PCT,
                t(
                    "Cut reopened tickets from 11% to 5%",
                    "将重新打开的工单比例从 11% 降到 5%",
                    "Reducir los tickets reabiertos del 11 % al 5 %",
                ),
            ),
        ),
        plans=(
            t(
                "Give the front line read access to account logs this month",
                "本月为一线客服开通客户日志的只读权限",
                "Dar este mes a primera línea acceso de lectura a los registros de cuenta",
            ),
            t(
                "Review five escalated tickets every Friday to find what the front line lacked",
                "每周五复盘五张升级工单，找出一线缺了什么",
                "Revisar cada viernes cinco tickets escalados para ver qué le faltó a primera "
                "línea",
            ),
        ),
        note=t(
            "Three views of the same outcome: solved the first time, fewer hand-offs, fewer "
            "returns. Training and access rights are the plans that move them.",
            "三条关键结果从三个角度看同一个结果：一次解决、更少转交、更少返工。培训和权限开通是"
            "推动它们的计划。",
            "Tres miradas al mismo resultado: resuelto a la primera, menos traspasos, menos "
            "vueltas. La formación y los permisos son los planes que lo mueven.",
        ),
    ),
    Entry(
        slug="support-worth-telling",
        function="support",
        level=TEAM,
        type=ASPIRATIONAL,
        title=t(
            "Make support conversations customers want to tell others about",
            "让客户愿意向别人讲述我们的服务",
            "Que los clientes quieran contar a otros cómo les atendimos",
        ),
        why=t(
            "Support is the only team most customers ever talk to. Good service is expected; "
            "memorable service is what gets mentioned in reviews and renewals.",
            "客服是大多数客户唯一接触过的团队。服务好是应该的，令人难忘的服务才会出现在评价和续约"
            "理由里。",
            "Soporte es el único equipo con el que habla la mayoría de clientes. El buen "
            "servicio se da por hecho; el memorable es el que aparece en reseñas y renovaciones.",
        ),
        key_results=(
            up(
                86,
                95,
                PCT,
                t(
                    "Lift customer satisfaction with support from 86% to 95%",
                    "将客服满意度从 86% 提升到 95%",
                    "Elevar la satisfacción con soporte del 86 % al 95 %",
                ),
            ),
            up(
                60,
                85,
                PCT,
                t(
                    "Raise conversations scoring top marks in quality review from 60% to 85%",
                    "将质检中获得最高评级的对话占比从 60% 提高到 85%",
                    "Subir del 60 % al 85 % las conversaciones con la nota máxima en la revisión "
                    "de calidad",
                ),
            ),
            up(
                20,
                50,
                measure("mentions", "次提及", "menciones"),
                t(
                    "Grow positive mentions of support in public reviews from 20 to 50 a quarter",
                    "将公开评价中对客服的正面提及从每季度 20 次增加到 50 次",
                    "Aumentar las menciones positivas a soporte en reseñas públicas de 20 a 50 "
                    "por trimestre",
                ),
            ),
        ),
        plans=(
            t(
                "Share the best conversation of the week in Friday's team meeting",
                "在周五团队会上分享本周最佳对话",
                "Compartir la mejor conversación de la semana en la reunión del viernes",
            ),
            t(
                "Let agents send a small thank-you gift without asking for approval",
                "允许客服无需审批即可给客户寄一份小小的感谢礼物",
                "Permitir que los agentes envíen un pequeño detalle de agradecimiento sin pedir "
                "permiso",
            ),
        ),
        note=t(
            "An aspirational objective for a team that already does well: 0.7 of the way to "
            "these targets would still put us among the best. Each key result is a number "
            "customers create, not one we control.",
            "这是给本已做得不错的团队的挑战型目标：完成 0.7 就能跻身一流。每条关键结果都是由客户"
            "产生的数字，而不是我们能直接控制的。",
            "Un objetivo aspiracional para un equipo que ya lo hace bien: llegar al 0,7 ya nos "
            "pondría entre los mejores. Cada resultado clave es un número que generan los "
            "clientes, no uno que controlemos.",
        ),
    ),
    Entry(
        slug="support-fixes-that-stick",
        function="support",
        level=TEAM,
        type=COMMITTED,
        title=t(
            "Turn what customers tell us into fixes that stick",
            "把客户反馈变成真正解决问题的修复",
            "Convertir lo que nos cuentan los clientes en arreglos que duran",
        ),
        why=t(
            "The same ten issues make up half of our volume, quarter after quarter. Support "
            "hears them first; product hears them too late.",
            "同样的十类问题一个季度又一个季度地占据了一"
            "半的工单量。客服最先听到，产品却听到得太晚。",
            "Los mismos diez problemas suponen la mitad del volumen trimestre tras trimestre. "
            "Soporte los oye primero; producto, demasiado tarde.",
        ),
        key_results=(
            down(
                900,
                400,
                PER_MONTH,
                t(
                    "Cut tickets about the ten most common issues from 900 to 400 a month",
                    "将十大常见问题相关工单从每月 900 张降到 400 张",
                    "Reducir los tickets de los diez problemas más comunes de 900 a 400 al mes",
                ),
            ),
            up(
                40,
                95,
                PCT,
                t(
                    "Raise tickets tagged with a root cause from 40% to 95%",
                    "将标注了根因的工单占比从 40% 提高到 95%",
                    "Subir del 40 % al 95 % los tickets etiquetados con su causa",
                ),
            ),
            down(
                45,
                20,
                DAYS,
                t(
                    "Cut the time from a recurring issue spotted to fixed from 45 to 20 days",
                    "将重复问题从被发现到修复的时间从 45 天缩短到 20 天",
                    "Reducir de 45 a 20 días el tiempo entre detectar un problema recurrente y "
                    "arreglarlo",
                ),
            ),
        ),
        plans=(
            t(
                "Bring the top three issues with ticket counts to the product review each week",
                "每周带着工单数，把前三大问题提交到产品评审",
                "Llevar cada semana a la revisión de producto los tres problemas principales "
                "con sus cifras",
            ),
            t(
                "Agree one tagging guide for root causes with all agents",
                "与所有客服统一根因标注规范",
                "Acordar con todos los agentes una guía para etiquetar causas",
            ),
        ),
        note=t(
            "The key results span two teams on purpose: support owns the signal, and the "
            "outcome is fewer tickets. This is how a team OKR pulls in the help it needs "
            "without pushing tasks onto others.",
            "关键结果有意横跨两个团队：客服负责提供信号，结果是工单减少。团队 OKR 就是这样争取所需"
            "支持，而不是把任务推给别人。",
            "Los resultados clave abarcan dos equipos a propósito: soporte aporta la señal y el "
            "resultado es menos tickets. Así un OKR de equipo consigue la ayuda que necesita sin "
            "cargar tareas a otros.",
        ),
    ),
)

OPERATIONS = (
    Entry(
        slug="ops-on-time-orders",
        function="operations",
        level=TEAM,
        type=COMMITTED,
        title=t(
            "Deliver every order when we said we would",
            "每个订单都按承诺的时间送达",
            "Entregar cada pedido cuando dijimos que lo haríamos",
        ),
        why=t(
            "One order in eight arrives late, and late orders generate most of our complaints "
            "and refunds. Customers plan around the date we give them.",
            "每八个订单就有一个迟到，而迟到的订单带来了大部分投诉和退款。客户是按我们给的日期来"
            "安排工作的。",
            "Uno de cada ocho pedidos llega tarde, y los retrasos generan casi todas las quejas "
            "y devoluciones. Los clientes se organizan según la fecha que les damos.",
        ),
        key_results=(
            up(
                88,
                97,
                PCT,
                t(
                    "Raise on-time delivery from 88% to 97%",
                    "将准时交付率从 88% 提高到 97%",
                    "Subir las entregas a tiempo del 88 % al 97 %",
                ),
            ),
            down(
                "1.8",
                "0.5",
                PCT,
                t(
                    "Cut orders with a picking error from 1.8% to 0.5%",
                    "将拣货出错的订单比例从 1.8% 降到 0.5%",
                    "Reducir los pedidos con error de preparación del 1,8 % al 0,5 %",
                ),
            ),
            down(
                30,
                12,
                HOURS,
                t(
                    "Cut the time from order to dispatch from 30 to 12 hours",
                    "将从下单到出库的时间从 30 小时缩短到 12 小时",
                    "Reducir el tiempo entre pedido y expedición de 30 a 12 horas",
                ),
            ),
        ),
        plans=(
            t(
                "Review every late order from last week in Monday's stand-up",
                "在周一站会上逐一复盘上周每个迟到的订单",
                "Revisar en la reunión del lunes cada pedido que llegó tarde la semana pasada",
            ),
            t(
                "Move the 20 fastest-selling items next to the packing stations",
                "把销量最快的 20 种商品挪到打包台旁边",
                "Acercar los 20 artículos de más rotación a los puestos de embalaje",
            ),
        ),
        note=t(
            "A committed objective: customers depend on it, so the team expects a full 1.0. "
            "Each key result is a measured outcome; the layout change is a plan.",
            "这是承诺型目标：客户依赖它，团队预期拿到满分 1.0。每条关键结果都是可测量的结果，"
            "调整库位则是计划。",
            "Objetivo comprometido: los clientes dependen de él, así que el equipo espera un 1,0. "
            "Cada resultado clave es un resultado medido; cambiar la distribución es un plan.",
        ),
    ),
    Entry(
        slug="ops-right-stock",
        function="operations",
        level=TEAM,
        type=COMMITTED,
        title=t(
            "Have the right stock in the right place without tying up cash",
            "在对的地方备对的货，又不占压现金",
            "Tener el stock adecuado en el lugar adecuado sin inmovilizar caja",
        ),
        why=t(
            "We run out of bestsellers while slow items fill the warehouse. Both cost money: "
            "lost sales on one side, cash and space on the other.",
            "畅销品经常断货，滞销品却堆满仓库。两头都在花钱：一边是丢掉的销售，一边是被占用的现金和"
            "空间。",
            "Nos quedamos sin los más vendidos mientras lo que no rota llena el almacén. Las dos "
            "cosas cuestan: ventas perdidas por un lado, caja y espacio por el otro.",
        ),
        key_results=(
            down(
                6,
                2,
                PCT,
                t(
                    "Cut stockouts on our top 200 items from 6% to 2%",
                    "将前 200 种商品的缺货率从 6% 降到 2%",
                    "Reducir del 6 % al 2 % las roturas de stock de los 200 productos más vendidos",
                ),
            ),
            up(
                "5.5",
                7,
                measure("turns a year", "次/年", "rotaciones al año"),
                t(
                    "Raise inventory turnover from 5.5 to 7 turns a year",
                    "将库存周转率从每年 5.5 次提高到 7 次",
                    "Subir la rotación de inventario de 5,5 a 7 veces al año",
                ),
            ),
            down(
                1400000,
                900000,
                USD,
                t(
                    "Cut the value of excess stock from $1.4M to $900k",
                    "将积压库存价值从 140 万美元降到 90 万美元",
                    "Reducir el valor del exceso de stock de 1,4 M US$ a 900.000 US$",
                ),
            ),
        ),
        plans=(
            t(
                "Set reorder points for the top 200 items from the new demand forecast",
                "根据新的需求预测，为前 200 种商品设定补货点",
                "Fijar puntos de pedido para los 200 artículos principales con la nueva previsión",
            ),
            t(
                "Agree a clearance plan for the slowest 50 items with sales",
                "与销售一起为周转最慢的 50 种商品制定清仓方案",
                "Acordar con ventas un plan de liquidación para los 50 artículos más lentos",
            ),
        ),
        note=t(
            "Two key results pull in opposite directions (fewer stockouts, less stock), which "
            "forces smarter choices instead of simply buying more.",
            "两条关键结果方向相反（更少缺货、更少库存）"
            "，迫使团队做出更聪明的选择，而不是一味多买。",
            "Dos resultados clave tiran en sentidos opuestos (menos roturas, menos stock), lo que "
            "obliga a elegir mejor en lugar de comprar más sin más.",
        ),
    ),
    Entry(
        slug="ops-dependable-suppliers",
        function="operations",
        level=TEAM,
        type=COMMITTED,
        title=t(
            "Make our suppliers partners we can count on",
            "让供应商成为我们可以依靠的伙伴",
            "Que nuestros proveedores sean socios con los que podamos contar",
        ),
        why=t(
            "Late and faulty deliveries from suppliers are behind most of our own delays. We "
            "want fewer surprises and faster, simpler buying.",
            "供应商的延迟和次品交付是我们自身大部分延误"
            "的根源。我们希望意外更少，采购更快、更简单。",
            "Las entregas tardías o defectuosas de los proveedores están detrás de casi todos "
            "nuestros retrasos. Queremos menos sorpresas y comprar de forma más rápida y sencilla.",
        ),
        key_results=(
            up(
                80,
                95,
                PCT,
                t(
                    "Raise supplier deliveries arriving on time from 80% to 95%",
                    "将供应商按时到货率从 80% 提高到 95%",
                    "Subir del 80 % al 95 % las entregas de proveedores que llegan a tiempo",
                ),
            ),
            down(
                "3.5",
                1,
                PCT,
                t(
                    "Cut defects found in incoming goods from 3.5% to 1%",
                    "将来料缺陷率从 3.5% 降到 1%",
                    "Reducir los defectos en la mercancía recibida del 3,5 % al 1 %",
                ),
            ),
            down(
                9,
                4,
                DAYS,
                t(
                    "Cut the purchase order cycle from 9 days to 4",
                    "将采购订单周期从 9 天缩短到 4 天",
                    "Reducir el ciclo de las órdenes de compra de 9 días a 4",
                ),
            ),
        ),
        plans=(
            t(
                "Share a monthly scorecard with our ten biggest suppliers",
                "每月与十大供应商分享绩效记分卡",
                "Compartir cada mes una ficha de resultados con los diez proveedores principales",
            ),
            t(
                "Remove one approval step from purchase orders under $5,000",
                "为 5000 美元以下的采购订单减少一个审批环节",
                "Quitar un paso de aprobación a las órdenes de compra de menos de 5.000 US$",
            ),
        ),
        note=t(
            "Supplier performance is measured where it hurts us, at our door, and each key "
            "result can be tracked weekly from data we already have.",
            "在最影响我们的地方——到货那一刻——衡量供应商表现，而且每条关键结果都能用现有数据每周"
            "跟踪。",
            "El rendimiento de los proveedores se mide donde nos duele, en nuestra puerta, y cada "
            "resultado clave puede seguirse cada semana con datos que ya tenemos.",
        ),
    ),
    Entry(
        slug="ops-free-from-manual-work",
        function="operations",
        level=TEAM,
        type=ASPIRATIONAL,
        title=t(
            "Free our people from repetitive manual work",
            "把同事们从重复的手工劳动中解放出来",
            "Liberar a nuestra gente del trabajo manual repetitivo",
        ),
        why=t(
            "The back office spends over 300 hours a month re-typing invoices. It is error-prone, "
            "dull, and it keeps skilled people from work that needs judgement.",
            "后台每月要花 300 多个小时重复录入发票。这既容易出错又枯燥，还让有能力的人无暇做需要"
            "判断力的工作。",
            "El back office dedica más de 300 horas al mes a teclear facturas otra vez. Es "
            "propenso a errores, aburrido y aparta a gente capaz del trabajo que requiere "
            "criterio.",
        ),
        key_results=(
            down(
                320,
                120,
                measure("hours a month", "小时/月", "horas al mes"),
                t(
                    "Cut manual hours spent on invoice processing from 320 to 120 a month",
                    "将发票处理的手工工时从每月 320 小时降到 120 小时",
                    "Reducir las horas manuales de proceso de facturas de 320 a 120 al mes",
                ),
            ),
            up(
                30,
                70,
                PCT,
                t(
                    "Raise invoices processed with no human touch from 30% to 70%",
                    "将无需人工干预即处理好的发票占比从 30% 提高到 70%",
                    "Subir del 30 % al 70 % las facturas procesadas sin intervención manual",
                ),
            ),
            below(
                1,
                PCT,
                t(
                    "Keep invoice processing errors below 1%",
                    "发票处理差错率保持在 1% 以下",
                    "Mantener los errores en el proceso de facturas por debajo del 1 %",
                ),
            ),
        ),
        plans=(
            t(
                "Map the invoice flow with the two people who know it best",
                "与最熟悉发票流程的两位同事一起梳理流程",
                "Dibujar el flujo de facturas con las dos personas que mejor lo conocen",
            ),
            t(
                "Try automatic matching on one supplier's invoices for two weeks",
                "在一家供应商的发票上试用两周自动匹配",
                "Probar durante dos semanas la conciliación automática con las facturas de un "
                "proveedor",
            ),
        ),
        note=t(
            "Aspirational, because automation projects tend to surprise us: 0.7 would still "
            "free a hundred hours a month. The error key result guards quality.",
            "设为挑战型，因为自动化项目常有意外：即使只做到 0.7，每月也能省出一百个小时。差错率"
            "这条关键结果守住了质量。",
            "Aspiracional, porque la automatización suele dar sorpresas: un 0,7 ya liberaría cien "
            "horas al mes. El resultado de errores protege la calidad.",
        ),
    ),
    Entry(
        slug="ops-home-safe",
        function="operations",
        level=TEAM,
        type=COMMITTED,
        title=t(
            "Make sure everyone goes home as healthy as they came",
            "确保每个人都能平安健康地回家",
            "Que todo el mundo vuelva a casa tan sano como llegó",
        ),
        why=t(
            "Seven people lost working days to injuries last quarter. Most incidents had warning "
            "signs that nobody reported.",
            "上个季度有七个人因工伤误工。大多数事故之前都有苗头，却没有人上报。",
            "El trimestre pasado siete personas perdieron días de trabajo por lesiones. Casi "
            "todos los incidentes tuvieron señales de aviso que nadie comunicó.",
        ),
        key_results=(
            down(
                7,
                2,
                measure("incidents", "起", "incidentes"),
                t(
                    "Cut lost-time injuries from 7 to 2 a quarter",
                    "将每季度误工工伤从 7 起降到 2 起",
                    "Reducir las lesiones con baja de 7 a 2 por trimestre",
                ),
            ),
            up(
                15,
                60,
                measure("reports", "起", "avisos"),
                t(
                    "Grow near-miss reports from 15 to 60 a quarter",
                    "将每季度上报的险情从 15 起增加到 60 起",
                    "Aumentar los avisos de casi accidentes de 15 a 60 por trimestre",
                ),
            ),
            down(
                12,
                3,
                DAYS,
                t(
                    "Cut the time to fix a reported hazard from 12 days to 3",
                    "将隐患上报后的整改时间从 12 天缩短到 3 天",
                    "Reducir el tiempo para corregir un riesgo comunicado de 12 días a 3",
                ),
            ),
        ),
        plans=(
            t(
                "Start each shift with a two-minute safety check-in",
                "每个班次开始前做两分钟安全提醒",
                "Empezar cada turno con dos minutos de repaso de seguridad",
            ),
            t(
                "Thank every near-miss reporter by name in the weekly update",
                "在每周通报中点名感谢每位上报险情的同事",
                "Agradecer por su nombre a cada persona que avise de un casi accidente en el "
                "resumen semanal",
            ),
        ),
        note=t(
            "More near-miss reports is the leading outcome: it shows people feel safe to speak "
            "up, which is what prevents the injuries measured by the first key result.",
            "险情上报增多是领先指标：它说明大家敢于开口，而这正是减少第一条关键结果所衡量的工伤的"
            "关键。",
            "Más avisos de casi accidentes es el indicador adelantado: muestra que la gente se "
            "siente segura para hablar, que es lo que evita las lesiones del primer resultado "
            "clave.",
        ),
    ),
)

SECURITY = (
    Entry(
        slug="security-phishing-defence",
        function="security",
        level=TEAM,
        type=COMMITTED,
        title=t(
            "Make our people our strongest defence against phishing",
            "让员工成为抵御钓鱼攻击最坚固的防线",
            "Que nuestra gente sea la mejor defensa contra el phishing",
        ),
        why=t(
            "Almost every breach in our industry starts with one convincing email. Tools catch "
            "most of them; people have to catch the rest.",
            "我们行业几乎每一起数据泄露都始于一封以假乱真的邮件。工具能拦住大部分，剩下的要靠人。",
            "Casi todas las brechas de nuestro sector empiezan con un correo convincente. Las "
            "herramientas paran la mayoría; las personas tienen que parar el resto.",
        ),
        key_results=(
            down(
                14,
                4,
                PCT,
                t(
                    "Cut the click rate in phishing simulations from 14% to 4%",
                    "将钓鱼演练中的点击率从 14% 降到 4%",
                    "Reducir el porcentaje de clics en simulacros de phishing del 14 % al 4 %",
                ),
            ),
            up(
                20,
                60,
                PCT,
                t(
                    "Raise the share of people who report a simulated phish from 20% to 60%",
                    "将主动上报模拟钓鱼邮件的员工比例从 20% 提高到 60%",
                    "Subir del 20 % al 60 % las personas que avisan de un phishing simulado",
                ),
            ),
            down(
                45,
                10,
                MINUTES,
                t(
                    "Cut the median time to the first report of a phish from 45 to 10 minutes",
                    "将钓鱼邮件首次被上报的中位时间从 45 分钟缩短到 10 分钟",
                    "Reducir la mediana del tiempo hasta el primer aviso de phishing de 45 a 10 "
                    "minutos",
                ),
            ),
        ),
        plans=(
            t(
                "Put a one-click “report phishing” button in every mail client",
                "在所有邮件客户端加入一键“举报钓鱼”按钮",
                "Poner un botón de «avisar de phishing» de un clic en todos los clientes de correo",
            ),
            t(
                "Send a short, blame-free debrief after every simulation",
                "每次演练后发一份简短、不追责的复盘",
                "Enviar tras cada simulacro un resumen breve y sin culpas",
            ),
        ),
        note=t(
            "Training completion would be an output. Click and report rates measure the "
            "behaviour the training is for, and the report key result rewards speaking up.",
            "培训完成率只是产出。点击率和上报率衡量的是培训想要的行为，而上报这条关键结果鼓励"
            "大家主动发声。",
            "Completar la formación sería un entregable. Las tasas de clic y de aviso miden el "
            "comportamiento que busca la formación, y la de aviso premia que la gente hable.",
        ),
    ),
    Entry(
        slug="security-close-the-doors",
        function="security",
        level=TEAM,
        type=COMMITTED,
        title=t(
            "Close the doors attackers would try first",
            "先关上攻击者最可能尝试的那些门",
            "Cerrar las puertas que un atacante probaría primero",
        ),
        why=t(
            "Our critical vulnerabilities stay open for a month on average, and a third of "
            "accounts still sign in with a password alone.",
            "我们的高危漏洞平均要一个月才修复，还有三分之一的账号只靠密码登录。",
            "Nuestras vulnerabilidades críticas siguen abiertas un mes de media, y un tercio de "
            "las cuentas todavía entra solo con contraseña.",
        ),
        key_results=(
            down(
                30,
                7,
                DAYS,
                t(
                    "Cut the median time to fix critical vulnerabilities from 30 to 7 days",
                    "将高危漏洞的中位修复时间从 30 天缩短到 7 天",
                    "Reducir la mediana del tiempo para corregir vulnerabilidades críticas de 30 "
                    "a 7 días",
                ),
            ),
            up(
                70,
                100,
                PCT,
                t(
                    "Raise accounts protected by multi-factor sign-in from 70% to 100%",
                    "将启用多因素登录的账号比例从 70% 提高到 100%",
                    "Subir del 70 % al 100 % las cuentas protegidas con acceso multifactor",
                ),
            ),
            below(
                5,
                measure("vulnerabilities", "个漏洞", "vulnerabilidades"),
                t(
                    "Keep critical vulnerabilities older than 14 days below 5",
                    "超过 14 天未修复的高危漏洞保持在 5 个以下",
                    "Mantener por debajo de 5 las vulnerabilidades críticas con más de 14 días",
                ),
            ),
        ),
        plans=(
            t(
                "Review open critical findings with each owning team every Tuesday",
                "每周二与各负责团队过一遍未关闭的高危问题",
                "Revisar cada martes los hallazgos críticos abiertos con cada equipo responsable",
            ),
            t(
                "Turn on multi-factor sign-in for the finance and admin groups first",
                "先为财务和管理员组开启多因素登录",
                "Activar primero el acceso multifactor para los grupos de finanzas y "
                "administración",
            ),
        ),
        note=t(
            "Exposure measured as time and coverage. A keep-below key result sets a ceiling the "
            "team must not cross while it works down the backlog.",
            "用时间和覆盖率来衡量暴露面。“保持在某值以下”的关键结果设定了一条上限，团队在清理积压时"
            "不能越过。",
            "La exposición se mide en tiempo y cobertura. Un resultado de mantener por debajo "
            "fija un techo que el equipo no debe superar mientras reduce la lista pendiente.",
        ),
    ),
    Entry(
        slug="security-contain-in-minutes",
        function="security",
        level=TEAM,
        type=ASPIRATIONAL,
        title=t(
            "Notice and contain an intrusion within minutes, not days",
            "几分钟内而不是几天后发现并控制入侵",
            "Detectar y contener una intrusión en minutos, no en días",
        ),
        why=t(
            "The damage of an attack grows with every hour it goes unnoticed. Today we would "
            "learn about most intrusions from someone else.",
            "攻击造成的损失随着未被察觉的每一小时而增加。"
            "如今，大多数入侵我们都会是从别人那里得知的。",
            "El daño de un ataque crece con cada hora que pasa sin detectarse. Hoy nos "
            "enteraríamos de casi todas las intrusiones por otros.",
        ),
        key_results=(
            down(
                36,
                2,
                HOURS,
                t(
                    "Cut the mean time to detect from 36 hours to 2",
                    "将平均检测时间从 36 小时缩短到 2 小时",
                    "Reducir el tiempo medio de detección de 36 horas a 2",
                ),
            ),
            down(
                12,
                1,
                HOURS,
                t(
                    "Cut the mean time to contain from 12 hours to 1",
                    "将平均遏制时间从 12 小时缩短到 1 小时",
                    "Reducir el tiempo medio de contención de 12 horas a 1",
                ),
            ),
            up(
                55,
                95,
                PCT,
                t(
                    "Raise critical systems sending logs to central monitoring from 55% to 95%",
                    "将向集中监控发送日志的关键系统占比从 55% 提高到 95%",
                    "Subir del 55 % al 95 % los sistemas críticos que envían registros a la "
                    "monitorización central",
                ),
            ),
        ),
        plans=(
            t(
                "Run a tabletop exercise with the on-call engineers this month",
                "本月与值班工程师做一次桌面推演",
                "Hacer este mes un ejercicio de simulación con los ingenieros de guardia",
            ),
            t(
                "Connect two more critical systems to central logging every week",
                "每周再把两个关键系统接入集中日志",
                "Conectar cada semana dos sistemas críticos más al registro central",
            ),
        ),
        note=t(
            "An aspirational objective: going from hours to minutes is a big leap, and 0.7 "
            "would already change our risk. Times are measured in exercises as well as real "
            "events.",
            "挑战型目标：从小时级到分钟级是一大步，做到 0.7 就已显著降低风险。时间既来自真实事件，"
            "也来自演练。",
            "Objetivo aspiracional: pasar de horas a minutos es un gran salto y un 0,7 ya "
            "cambiaría nuestro riesgo. Los tiempos se miden en simulacros y en casos reales.",
        ),
    ),
)

IT = (
    Entry(
        slug="it-ready-on-day-one",
        function="it",
        level=TEAM,
        type=COMMITTED,
        title=t(
            "Give every new colleague a working setup on day one",
            "让每位新同事第一天就有一套能用的工作环境",
            "Que cada nueva incorporación tenga todo funcionando el primer día",
        ),
        why=t(
            "Four in ten new starters spend their first morning without a laptop or accounts. "
            "It is a poor welcome and wastes their manager's time too.",
            "十位新同事里有四位入职第一个上午既没有电脑也没有账号。这样的欢迎很糟糕，也浪费了他们"
            "经理的时间。",
            "Cuatro de cada diez incorporaciones pasan su primera mañana sin portátil ni "
            "cuentas. Es una mala bienvenida y también hace perder tiempo a su responsable.",
        ),
        key_results=(
            up(
                60,
                95,
                PCT,
                t(
                    "Raise new starters with every account and device working on day one from "
                    "60% to 95%",
                    "将入职首日所有账号和设备都可用的新员工比例从 60% 提高到 95%",
                    "Subir del 60 % al 95 % las incorporaciones con todas sus cuentas y equipos "
                    "listos el primer día",
                ),
            ),
            down(
                "4.2",
                1,
                TICKETS,
                t(
                    "Cut IT tickets per new starter in their first week from 4.2 to 1",
                    "将每位新员工首周提交的 IT 工单从 4.2 张降到 1 张",
                    "Reducir los tickets de IT por incorporación en su primera semana de 4,2 a 1",
                ),
            ),
            up(
                7,
                9,
                SCORE_10,
                t(
                    "Lift new starters' rating of their IT setup from 7 to 9 out of 10",
                    "将新员工对 IT 准备工作的评分从 7 分提升到 9 分（满分 10）",
                    "Elevar la valoración de las incorporaciones sobre su equipo de 7 a 9 sobre 10",
                ),
            ),
        ),
        plans=(
            t(
                "Get the start date and role from HR ten working days ahead",
                "提前十个工作日从人力资源部拿到入职日期和岗位",
                "Recibir de RR. HH. la fecha de entrada y el puesto con diez días hábiles de "
                "antelación",
            ),
            t(
                "Prepare and test each laptop two days before the start date",
                "入职前两天准备并测试好每台电脑",
                "Preparar y probar cada portátil dos días antes de la incorporación",
            ),
        ),
        note=t(
            "The objective is about an experience; the key results make it measurable from "
            "three angles. Preparing laptops is the plan, not the result.",
            "目标关乎一种体验，关键结果从三个角度让它变得可衡量。准备电脑是计划，不是结果。",
            "El objetivo habla de una experiencia; los resultados clave la hacen medible desde "
            "tres ángulos. Preparar portátiles es el plan, no el resultado.",
        ),
    ),
    Entry(
        slug="it-help-rarely-needed",
        function="it",
        level=TEAM,
        type=COMMITTED,
        title=t(
            "Make IT help fast, friendly and rarely needed",
            "让 IT 支持快速、友好，而且很少需要",
            "Que la ayuda de IT sea rápida, amable y casi innecesaria",
        ),
        why=t(
            "Colleagues wait a day for simple fixes, and password resets alone make up a fifth "
            "of all requests.",
            "同事们为一些简单问题要等上一天，光是重置密码就占了全部请求的五分之一。",
            "Los compañeros esperan un día por arreglos sencillos, y solo los cambios de "
            "contraseña suponen una quinta parte de las peticiones.",
        ),
        key_results=(
            down(
                26,
                8,
                HOURS,
                t(
                    "Cut the median time to resolve a request from 26 to 8 hours",
                    "将请求的中位解决时间从 26 小时缩短到 8 小时",
                    "Reducir la mediana del tiempo de resolución de 26 a 8 horas",
                ),
            ),
            up(
                72,
                88,
                PCT,
                t(
                    "Raise colleagues satisfied with IT help from 72% to 88%",
                    "将对 IT 支持满意的同事比例从 72% 提高到 88%",
                    "Subir del 72 % al 88 % los compañeros satisfechos con la ayuda de IT",
                ),
            ),
            down(
                300,
                60,
                PER_MONTH,
                t(
                    "Cut password reset requests from 300 to 60 a month",
                    "将密码重置请求从每月 300 个降到 60 个",
                    "Reducir las peticiones de cambio de contraseña de 300 a 60 al mes",
                ),
            ),
        ),
        plans=(
            t(
                "Turn on self-service password reset for everyone",
                "为所有人开通自助密码重置",
                "Activar el cambio de contraseña autoservicio para todos",
            ),
            t(
                "Look at the ten oldest open requests at every morning huddle",
                "每天早会查看最久未处理的十个请求",
                "Mirar las diez peticiones abiertas más antiguas en cada reunión matinal",
            ),
        ),
        note=t(
            "“Rarely needed” becomes a number: the fewer avoidable requests, the better the "
            "service. Speed and satisfaction complete the picture.",
            "“很少需要”被转化成一个数字：可避免的请求越"
            "少，服务就越好。速度和满意度补全了整体画面。",
            "«Casi innecesaria» se convierte en un número: cuantas menos peticiones evitables, "
            "mejor el servicio. La rapidez y la satisfacción completan el cuadro.",
        ),
    ),
)

ENTRIES = SUPPORT + OPERATIONS + SECURITY + IT
