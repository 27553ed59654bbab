"""Key results and objectives written after the labelled sets, found while reading the
coach's output on the demo and on ordinary OKRs: each pins a case the rules once got wrong or
could easily get wrong (durations written as "6h", a "30-day" window, an outcome phrased with
its subject first)."""

from __future__ import annotations

import pytest

from tenfold.lib.coach import (
    KeyResultText,
    ObjectiveText,
    check_key_result,
    check_objective,
    needs_work,
)

GOOD_KEY_RESULTS = [
    "Increase monthly recurring revenue from $1.2M to $1.5M",
    "Reduce average first response time from 6h to 2h",
    "Grow trial-to-paid conversion from 8% to 12%",
    "Cut infrastructure cost per customer from €4.10 to €3.20",
    "Reach 95% on-time delivery",
    "Keep uptime above 99.95%",
    "Lower employee attrition from 18% to 12%",
    "Improve CSAT from 4.1 to 4.5",
    "Increase share of deals with a champion from 40% to 70%",
    "Decrease bug escape rate from 12 per release to 4",
    "Get weekly active users from 12k to 20k",
    "Shrink median PR review time from 30 hours to 8 hours",
    "Raise gross margin from 62% to 68%",
    "Double organic signups from 1,500 to 3,000 per month",
    "Reduce days sales outstanding from 52 to 40",
    "Improve eNPS from 12 to 30",
    "Lift repeat purchase rate from 22% to 30%",
    "Increase the share of tickets solved in one reply from 35% to 55%",
    "Keep p99 checkout latency under 800 ms",
    "Reduce cloud spend from $80k to $60k per month",
    "将月活跃用户从 1.2 万提升到 2 万",
    "把平均响应时间从 6 小时缩短到 2 小时",
    "毛利率从 62% 提高到 68%",
    "Reducir el tiempo de entrega de 5 a 3 días",
    "Aumentar los ingresos recurrentes de 1,2 M€ a 1,5 M€",
    "Mantener la disponibilidad por encima del 99,9 %",
    "Raise the 30-day new-hire survey score from 7.1 to 8.5",
]
BAD_KEY_RESULTS = [
    "Launch the new pricing page",
    "Write 10 blog posts",
    "Hold 5 customer workshops",
    "Improve customer satisfaction",
    "Migrate to Kubernetes",
    "Hire 4 engineers",
    "Complete the SOC 2 audit",
    "Redesign the onboarding flow",
    "Increase revenue",
    "Run 3 marketing campaigns",
    "Ship version 2.0 by March",
    "Create a sales playbook",
    "Send 2 newsletters per month",
    "Attend 6 industry conferences",
    "Be the best in the market",
    "Implement a new CRM",
    "发布新版官网",
    "完成 3 次客户访谈",
    "提高用户满意度",
    "Lanzar la nueva aplicación",
    "Publicar 8 artículos en el blog",
    "Mejorar la experiencia del cliente",
    "Organize the team offsite",
    "Make more sales calls",
    "Do 20 user interviews",
    "Finish the data warehouse migration",
]
GOOD_OBJECTIVES = [
    "Delight every new customer in their first week",
    "Become the easiest bank to switch to",
    "Make our checkout effortless",
    "Win the mid-market in Germany",
    "Build a team people want to join",
    "Turn support into a reason customers stay",
    "Customers trust our data",
    "Ship reliably without weekend firefighting",
    "Grow into a profitable business",
    "Make every release boring",
    "Hacer que cada cliente nuevo tenga éxito en su primera semana",
    "Ser la marca que los ciclistas recomiendan",
    "让新客户在第一周就体验到价值",
    "成为用户最信赖的理财应用",
    "Our sales team wins on value, not on discounts",
    "Put customers at the center of product decisions",
    "Deploys become boring",
    "Run a calmer, more dependable service",
]
BAD_OBJECTIVES = [
    "Launch the mobile app",
    "Increase revenue by 20%",
    "Hire 5 engineers",
    "Migrate the database to PostgreSQL",
    "Reach $2M ARR",
    "Complete the website redesign",
    "Keep the lights on",
    "Do marketing",
    "上线新版 App",
    "完成年度审计",
    "Lanzar la nueva web",
    "Reducir el churn al 3%",
    "Implement Salesforce",
    "Write the employee handbook",
]


@pytest.mark.parametrize("title", GOOD_KEY_RESULTS)
def test_good_key_results_pass(title: str) -> None:
    assert not needs_work(check_key_result(KeyResultText(title=title)))


@pytest.mark.parametrize("title", BAD_KEY_RESULTS)
def test_weak_key_results_need_work(title: str) -> None:
    assert needs_work(check_key_result(KeyResultText(title=title)))


@pytest.mark.parametrize("title", GOOD_OBJECTIVES)
def test_good_objectives_pass(title: str) -> None:
    assert not needs_work(check_objective(ObjectiveText(title=title)))


@pytest.mark.parametrize("title", BAD_OBJECTIVES)
def test_weak_objectives_need_work(title: str) -> None:
    assert needs_work(check_objective(ObjectiveText(title=title)))
