"""tenfold okrs: the objectives and key results of a cycle, or one of them with its details,
from a server (TENFOLD_URL and a token) or from the local database (as a person, --as)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404
from django.utils.translation import gettext as _

from tenfold.cli.client import ApiError, Exit, add_remote_arguments
from tenfold.cli.output import STATUS_COLOURS, dumps, print_table
from tenfold.cli.present import (
    api_shape,
    confidence_text,
    day_text,
    forecast_text,
    progress_text,
    status_text,
    target_text,
    value_text,
)
from tenfold.cli.remote import Remote, connect, plainly
from tenfold.okrs.models import ObjectiveState, ObjectiveType

CHECKINS_SHOWN = 10


def label(choices: Any, value: str) -> str:
    """A stored choice in the reader's language (the value itself when it is unknown)."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def not_visible(code: str) -> CommandError:
    return CommandError(
        _("No objective or key result “%(code)s” that you can see (`tenfold okrs` lists them).")
        % {"code": code},
        returncode=Exit.NOT_FOUND,
    )


class Command(BaseCommand):
    help = (
        "List the objectives and key results of a cycle (progress, status, confidence), or show "
        "one objective with its key results, or one key result with its latest check-ins. Works "
        "against a server when TENFOLD_URL is set, else on the local database as --as."
    )

    # Nothing here depends on the checks, and completion must answer quickly.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "action",
            nargs="?",
            default="list",
            choices=["list", "show"],
            help="list (the default) or show CODE.",
        )
        parser.add_argument("code", nargs="?", metavar="CODE", help="For show: an OKR's code.")
        parser.add_argument(
            "--cycle", metavar="CODE", help="A cycle's code or name (default: the current one)."
        )
        parser.add_argument(
            "--unit", metavar="CODE", help="Only the objectives of this unit (code or name)."
        )
        parser.add_argument(
            "--mine",
            action="store_true",
            help="Only objectives you lead and key results you own.",
        )
        parser.add_argument(
            "--checkins",
            type=int,
            default=CHECKINS_SHOWN,
            metavar="N",
            help=f"For a key result: how many check-ins to show (default {CHECKINS_SHOWN}).",
        )
        parser.add_argument("--json", action="store_true", help="Print JSON instead of a table.")
        parser.add_argument(
            "--codes",
            action="store_true",
            help="Print only the codes and titles, one per line (for shell completion).",
        )
        parser.add_argument(
            "--as",
            dest="email",
            metavar="EMAIL",
            help="Local use: the person whose view to show.",
        )
        parser.add_argument(
            "--org",
            metavar="SLUG",
            help="The organization's address (default: the token's, or the person's only one).",
        )
        add_remote_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "show" and not options["code"]:
            raise CommandError(_("Say which OKR to show: tenfold okrs show CODE."))
        if options["action"] == "list" and options["code"]:
            raise CommandError(
                _("“%(code)s” is not an action; to see one OKR use: tenfold okrs show %(code)s")
                % {"code": options["code"]}
            )
        if options["checkins"] < 0:
            raise CommandError(_("--checkins must be 0 or more."))
        with plainly():
            remote = connect(options, as_email=options["email"])
            source: Source = RemoteSource(remote) if remote else LocalSource(options)
            if options["action"] == "show":
                self.show(source, options["code"].strip().lower(), options)
            else:
                self.list_okrs(source, options)

    # --- list ---------------------------------------------------------------------------------

    def list_okrs(self, source: Source, options: dict[str, Any]) -> None:
        cycle_name, objectives = source.objectives(options["cycle"])
        objectives = filter_unit(objectives, options["unit"])
        if options["mine"]:
            objectives = only_mine(objectives, source.email)
        if options["codes"]:
            for objective in objectives:
                self.stdout.write(f"{objective['code']}\t{objective['title']}")
                for kr in objective["key_results"]:
                    self.stdout.write(f"{kr['code']}\t{kr['title']}")
            return
        if options["json"]:
            self.stdout.write(dumps(objectives))
            return
        self.stdout.write(
            _("Objectives of %(cycle)s in %(org)s:")
            % {"cycle": cycle_name or _("the current cycle"), "org": source.org_name}
        )
        if not objectives:
            self.stdout.write(_("(none)"))
            return
        self.okr_table(objectives)

    def okr_table(self, objectives: list[dict[str, Any]]) -> None:
        headers = [
            _("Code"),
            _("Progress"),
            _("Status"),
            _("Confidence"),
            _("Current"),
            _("Target"),
            _("Team"),
            _("Title"),
        ]
        rows: list[list[str]] = []
        statuses: list[str] = []
        for objective in objectives:
            unit = objective.get("unit") or {}
            rows.append(
                [
                    objective["code"],
                    progress_text(objective["progress"]),
                    "",
                    "",
                    "",
                    "",
                    unit.get("name", "–"),
                    objective["title"],
                ]
            )
            statuses.append("")
            for kr in objective["key_results"]:
                rows.append(
                    [
                        kr["code"],
                        progress_text(kr["progress"]),
                        status_text(kr["status"]),
                        confidence_text(kr["confidence"]),
                        value_text(kr),
                        target_text(kr),
                        "",
                        "· " + kr["title"],
                    ]
                )
                statuses.append(kr["status"])

        def colour_of(row: int, column: int, _text: str) -> str | None:
            if column == 2:
                return STATUS_COLOURS.get(statuses[row])
            if column == 7 and not statuses[row]:
                return "bold"
            return None

        print_table(self.stdout, headers, rows, align="lrllrr", colour_of=colour_of)

    # --- show ---------------------------------------------------------------------------------

    def show(self, source: Source, code: str, options: dict[str, Any]) -> None:
        found = source.objective(code)
        if found is not None:
            if options["json"]:
                self.stdout.write(dumps(found))
                return
            self.show_objective(source, found)
            return
        kr = source.key_result(code, options["checkins"])
        if kr is None:
            raise not_visible(code)
        if options["json"]:
            self.stdout.write(dumps(kr))
            return
        self.show_key_result(kr)

    def show_objective(self, source: Source, objective: dict[str, Any]) -> None:
        unit = objective.get("unit") or {}
        self.stdout.write(f"{objective['title']}  ({objective['code']})")
        facts = [
            unit.get("name") or "",
            source.cycle_name(objective["cycle"]),
            label(ObjectiveType, objective["type"]),
            label(ObjectiveState, objective["state"]),
        ]
        if objective.get("lead"):
            facts.append(_("lead %(name)s") % {"name": objective["lead"]["name"]})
        self.stdout.write(" · ".join(fact for fact in facts if fact))
        progress = _("Progress %(progress)s") % {"progress": progress_text(objective["progress"])}
        forecast = forecast_text(objective.get("forecast"))
        self.stdout.write(progress + (f" · {forecast}" if forecast else ""))
        if objective.get("description"):
            self.stdout.write("")
            self.stdout.write(objective["description"])
        for link in objective.get("aligned_to") or []:
            parent = link.get("objective") or link.get("key_result")
            self.stdout.write(
                _("Aligned to %(code)s (weight %(weight)s)")
                % {"code": parent, "weight": link["weight"]}
            )
        self.stdout.write("")
        if not objective["key_results"]:
            self.stdout.write(_("No key results yet."))
            return
        headers = [
            _("Code"),
            _("Progress"),
            _("Status"),
            _("Confidence"),
            _("Current"),
            _("Target"),
            _("Key result"),
        ]
        krs = objective["key_results"]
        rows = [
            [
                kr["code"],
                progress_text(kr["progress"]),
                status_text(kr["status"]),
                confidence_text(kr["confidence"]),
                value_text(kr),
                target_text(kr),
                kr["title"],
            ]
            for kr in krs
        ]
        print_table(
            self.stdout,
            headers,
            rows,
            align="lrllrr",
            colour_of=lambda row, column, _t: (
                STATUS_COLOURS.get(krs[row]["status"]) if column == 2 else None
            ),
        )

    def show_key_result(self, kr: dict[str, Any]) -> None:
        self.stdout.write(f"{kr['title']}  ({kr['code']})")
        self.stdout.write(
            _(
                "%(current)s of %(target)s · progress %(progress)s · %(status)s · "
                "confidence %(confidence)s"
            )
            % {
                "current": value_text(kr),
                "target": target_text(kr),
                "progress": progress_text(kr["progress"]),
                "status": status_text(kr["status"]),
                "confidence": confidence_text(kr["confidence"]),
            }
        )
        self.stdout.write(_("Objective %(code)s") % {"code": kr["objective"]})
        forecast = forecast_text(kr.get("forecast"))
        if forecast:
            self.stdout.write(forecast)
        self.stdout.write("")
        checkins = kr.get("checkins") or []
        if not checkins:
            self.stdout.write(_("No check-ins yet."))
            return
        headers = [_("Date"), _("Value"), _("Confidence"), _("By"), _("Note")]
        rows = []
        for checkin in checkins:
            note = checkin["note"]
            if checkin.get("superseded_by"):
                note = (_("(corrected by %(code)s)") % {"code": checkin["superseded_by"]}) + (
                    f" {note}" if note else ""
                )
            author = checkin.get("author") or {}
            rows.append(
                [
                    day_text(checkin["measured_at"]),
                    value_text({**kr, "current": checkin["value"]}),
                    confidence_text(checkin["confidence"]),
                    author.get("name", "–"),
                    note,
                ]
            )
        print_table(self.stdout, headers, rows, align="lrr")


def filter_unit(objectives: list[dict[str, Any]], unit: str | None) -> list[dict[str, Any]]:
    if not unit:
        return objectives
    wanted = unit.strip().casefold()
    return [
        objective
        for objective in objectives
        if objective.get("unit")
        and wanted in (objective["unit"]["code"].casefold(), objective["unit"]["name"].casefold())
    ]


def only_mine(objectives: list[dict[str, Any]], email: str) -> list[dict[str, Any]]:
    """Objectives the person leads (with all their key results) and, of the others, only the
    key results the person owns."""
    me = email.casefold()

    def is_me(person: dict[str, Any] | None) -> bool:
        return bool(person) and str(person.get("email", "")).casefold() == me  # type: ignore[union-attr]

    kept = []
    for objective in objectives:
        if is_me(objective.get("lead")):
            kept.append(objective)
            continue
        owned = [kr for kr in objective["key_results"] if is_me(kr.get("owner"))]
        if owned:
            kept.append({**objective, "key_results": owned})
    return kept


# --- where the data comes from ----------------------------------------------------------------


class Source:
    email: str
    org_name: str

    def objectives(self, cycle: str | None) -> tuple[str, list[dict[str, Any]]]:
        raise NotImplementedError

    def objective(self, code: str) -> dict[str, Any] | None:
        raise NotImplementedError

    def key_result(self, code: str, checkins: int) -> dict[str, Any] | None:
        raise NotImplementedError

    def cycle_name(self, code: str) -> str:
        raise NotImplementedError


def unknown_cycle(wanted: str, cycles: list[dict[str, Any]]) -> CommandError:
    return CommandError(
        _("No cycle “%(cycle)s”. Cycles: %(names)s")
        % {
            "cycle": wanted,
            "names": ", ".join(f"{c['code']} ({c['name']})" for c in cycles) or "–",
        },
        returncode=Exit.NOT_FOUND,
    )


def pick_cycle(cycles: list[dict[str, Any]], wanted: str) -> dict[str, Any]:
    """A cycle by its code or its name, in any case."""
    key = wanted.strip().casefold()
    for cycle in cycles:
        if key in (cycle["code"].casefold(), cycle["name"].casefold()):
            return cycle
    raise unknown_cycle(wanted, cycles)


class RemoteSource(Source):
    def __init__(self, remote: Remote) -> None:
        self.remote = remote
        self.email = remote.email
        self.org_name = remote.org_name
        self._cycles: list[dict[str, Any]] | None = None

    def cycles(self) -> list[dict[str, Any]]:
        if self._cycles is None:
            self._cycles = self.remote.client.get_all(self.remote.path("/cycles"))
        return self._cycles

    def cycle_name(self, code: str) -> str:
        return next((c["name"] for c in self.cycles() if c["code"] == code), code)

    def objectives(self, cycle: str | None) -> tuple[str, list[dict[str, Any]]]:
        params = {}
        name = ""
        if cycle:
            chosen = pick_cycle(self.cycles(), cycle)
            params["cycle"] = chosen["code"]
            name = chosen["name"]
        rows = self.remote.client.get_all(self.remote.path("/objectives"), params)
        if not name and rows:
            name = self.cycle_name(rows[0]["cycle"])
        return name, rows

    def objective(self, code: str) -> dict[str, Any] | None:
        try:
            return self.remote.client.get(self.remote.path("/objectives/{}", code))
        except ApiError as error:
            if error.status == 404:
                return None
            raise

    def key_result(self, code: str, checkins: int) -> dict[str, Any] | None:
        client = self.remote.client
        try:
            kr = client.get(self.remote.path("/key-results/{}", code))
            history = client.get(self.remote.path("/key-results/{}/check-ins", code))
        except ApiError as error:
            if error.status == 404:
                return None
            raise
        # The first page is enough: it holds the newest check-ins.
        return {**kr, "checkins": list(history or [])[:checkins]}


class LocalSource(Source):
    def __init__(self, options: dict[str, Any]) -> None:
        from tenfold.organizations.cli import access_of

        if not options["email"]:
            raise CommandError(
                _(
                    "Say who you are with --as EMAIL, or set TENFOLD_URL and TENFOLD_TOKEN to "
                    "use a server."
                )
            )
        self.access = access_of(options["email"], options["org"])
        self.organization = self.access.membership.organization
        self.email = self.access.membership.user.email
        self.org_name = self.organization.name

    def cycle_name(self, code: str) -> str:
        from tenfold.okrs.models import Cycle

        found = Cycle.objects.filter(organization=self.organization, code=code).first()
        return found.name if found else code

    def objectives(self, cycle: str | None) -> tuple[str, list[dict[str, Any]]]:
        from tenfold.api.schemas import ObjectiveOut
        from tenfold.api.views import forecasts, objective_out
        from tenfold.okrs.models import Cycle
        from tenfold.okrs.selectors import (
            current_cycle,
            cycles_of,
            objectives_for_cycle,
            organization_today,
        )

        organization = self.organization
        if cycle:
            every = cycles_of(organization)
            listed = [{"code": c.code, "name": c.name} for c in every]
            chosen_code = pick_cycle(listed, cycle)["code"]
            chosen: Cycle | None = next(c for c in every if c.code == chosen_code)
        else:
            chosen = current_cycle(organization, organization_today(organization))
        if chosen is None:
            return "", []
        chosen.organization = organization
        objectives = objectives_for_cycle(self.access, chosen)
        projections = forecasts([kr for o in objectives for kr in o.key_results.all()], chosen)
        rows = []
        for objective in objectives:
            objective.cycle = chosen
            data = objective_out(
                objective,
                list(objective.key_results.all()),
                list(objective.parent_links.all()),
                projections,
            )
            rows.append(api_shape(ObjectiveOut, data))
        return chosen.name, rows

    def objective(self, code: str) -> dict[str, Any] | None:
        from tenfold.api.schemas import ObjectiveOut
        from tenfold.api.views import forecasts, objective_out
        from tenfold.okrs.selectors import get_objective

        try:
            objective = get_objective(self.access, code)
        except Http404:
            return None
        krs = list(objective.key_results.select_related("owner").order_by("order", "id"))
        links = list(objective.parent_links.select_related("parent_objective", "parent_key_result"))
        data = objective_out(objective, krs, links, forecasts(krs, objective.cycle))
        return api_shape(ObjectiveOut, data)

    def key_result(self, code: str, checkins: int) -> dict[str, Any] | None:
        from tenfold.api.schemas import CheckInOut, KeyResultOut
        from tenfold.api.views import checkin_out, forecasts, key_result_out
        from tenfold.checkins.models import CheckIn
        from tenfold.okrs.selectors import get_key_result

        try:
            kr = get_key_result(self.access, code)
        except Http404:
            return None
        data = api_shape(
            KeyResultOut,
            key_result_out(kr, kr.objective, forecasts([kr], kr.objective.cycle)[kr.id]),
        )
        rows = list(
            CheckIn.objects.filter(key_result=kr).select_related("author")[: max(checkins, 0)]
        )
        # Which check-in replaced which, as in the API's history.
        replaced_by = dict(
            CheckIn.objects.filter(
                key_result=kr, supersedes__in=[row.id for row in rows]
            ).values_list("supersedes_id", "code")
        )
        originals = dict(
            CheckIn.objects.filter(
                id__in=[row.supersedes_id for row in rows if row.supersedes_id]
            ).values_list("id", "code")
        )
        data["checkins"] = [
            api_shape(
                CheckInOut,
                checkin_out(
                    row,
                    kr,
                    supersedes=originals.get(row.supersedes_id or 0),
                    superseded_by=replaced_by.get(row.id),
                ),
            )
            for row in rows
        ]
        return data
