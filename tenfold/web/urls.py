from django.urls import include, path

from .views import browse, objectives, organization, weekly

urlpatterns = [
    path("", browse.home, name="home"),
    path("healthz", browse.healthz, name="healthz"),
    path("orgs/", browse.org_list, name="org_list"),
    path("<slug:org>/", browse.company, name="company"),
    path("<slug:org>/units/<str:code>/", browse.unit, name="unit"),
    path("<slug:org>/settings/", organization.settings_general, name="settings_general"),
    path("<slug:org>/settings/units/", organization.settings_units, name="settings_units"),
    path("<slug:org>/settings/people/", organization.settings_people, name="settings_people"),
    path(
        "<slug:org>/settings/people/role/",
        organization.settings_person_role,
        name="settings_person_role",
    ),
    path("<slug:org>/settings/cycles/", organization.settings_cycles, name="settings_cycles"),
    path("<slug:org>/settings/weekly/", organization.settings_weekly, name="settings_weekly"),
    path(
        "<slug:org>/settings/cycles/<str:code>/state/",
        organization.settings_cycle_state,
        name="settings_cycle_state",
    ),
    path("<slug:org>/objectives/new/", objectives.objective_new, name="objective_new"),
    path("<slug:org>/objectives/<str:code>/", objectives.objective_detail, name="objective"),
    path(
        "<slug:org>/objectives/<str:code>/edit/",
        objectives.objective_edit,
        name="objective_edit",
    ),
    path(
        "<slug:org>/objectives/<str:code>/state/",
        objectives.objective_state,
        name="objective_state",
    ),
    path(
        "<slug:org>/objectives/<str:code>/history/",
        objectives.objective_history,
        name="objective_history",
    ),
    path(
        "<slug:org>/objectives/<str:code>/align/",
        objectives.objective_align,
        name="objective_align",
    ),
    path(
        "<slug:org>/objectives/<str:code>/key-results/new/",
        objectives.key_result_new,
        name="key_result_new",
    ),
    path(
        "<slug:org>/key-results/<str:code>/edit/",
        objectives.key_result_edit,
        name="key_result_edit",
    ),
    path(
        "<slug:org>/key-results/<str:code>/check-in/",
        objectives.key_result_checkin,
        name="key_result_checkin",
    ),
    path(
        "<slug:org>/key-results/<str:code>/initiatives/",
        objectives.initiative_new,
        name="initiative_new",
    ),
    path(
        "<slug:org>/initiatives/<str:code>/",
        objectives.initiative_update,
        name="initiative_update",
    ),
    path("<slug:org>/week/", weekly.my_week, name="my_week"),
    path("<slug:org>/week/items/", weekly.week_item_add, name="week_item_add"),
    path("<slug:org>/week/reorder/", weekly.week_reorder, name="week_reorder"),
    path("<slug:org>/week/items/<str:code>/", weekly.week_item_edit, name="week_item_edit"),
    path("<slug:org>/week/items/<str:code>/move/", weekly.week_item_move, name="week_item_move"),
    path(
        "<slug:org>/week/items/<str:code>/resolve/",
        weekly.week_item_resolve,
        name="week_item_resolve",
    ),
    path("<slug:org>/week/items/<str:code>/shift/", weekly.week_item_shift, name="week_item_shift"),
    path(
        "<slug:org>/week/items/<str:code>/delete/",
        weekly.week_item_delete,
        name="week_item_delete",
    ),
    path(
        "<slug:org>/week/key-results/<str:code>/check-in/",
        weekly.week_checkin,
        name="week_checkin",
    ),
    path("<slug:org>/units/<str:code>/week/", weekly.team_week_page, name="team_week"),
    path("<slug:org>/units/<str:code>/meeting/", weekly.team_meeting, name="team_meeting"),
    path("<slug:org>/units/<str:code>/meeting/note/", weekly.meeting_note, name="meeting_note"),
    path("<slug:org>/units/<str:code>/meeting/plan/", weekly.meeting_plan, name="meeting_plan"),
    path("<slug:org>/review/monthly/", weekly.monthly, name="monthly_review"),
    path("", include("tenfold.web.urls_key_results")),
    path("", include("tenfold.social.urls")),
]
