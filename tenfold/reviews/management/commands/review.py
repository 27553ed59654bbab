"""tenfold review: the end-of-cycle reviews from the command line — list, show, score, submit."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404
from django.utils.translation import gettext as _

from tenfold.accounts.models import User
from tenfold.lib.validation import error_dict
from tenfold.okrs.models import Cycle
from tenfold.organizations.models import Membership
from tenfold.organizations.permissions import Access, access_for
from tenfold.reviews import selectors
from tenfold.reviews.models import Review
from tenfold.reviews.questions import questions_for
from tenfold.reviews.services import review_submit, score_adjust


def _message(error: ValidationError) -> str:
    parts: list[str] = []
    for field, messages in error_dict(error).items():
        prefix = "" if field == "__all__" else f"{field}: "
        parts.extend(prefix + message for message in messages)
    return " ".join(parts)


class Command(BaseCommand):
    help = (
        "End-of-cycle reviews: `list CYCLE_CODE`, `show REVIEW_CODE`, "
        "`score REVIEW_CODE CODE VALUE --reason TEXT`, `submit REVIEW_CODE`; each with --as EMAIL."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

        def action(name: str, help_text: str) -> Any:
            sub = actions.add_parser(name, help=help_text)
            sub.add_argument(
                "--as",
                dest="email",
                required=True,
                metavar="EMAIL",
                help=_("Email of the person acting; their rights apply."),
            )
            return sub

        listing = action("list", _("List the reviews of a cycle with their states."))
        listing.add_argument("cycle", metavar="CYCLE_CODE", help=_("The cycle's code."))
        show = action("show", _("Show one review: scores, learnings, summary, answers."))
        show.add_argument("review", metavar="REVIEW_CODE")
        score = action("score", _("Adjust the score of an objective or key result."))
        score.add_argument("review", metavar="REVIEW_CODE")
        score.add_argument("target", metavar="CODE", help=_("Code of the objective or key result."))
        score.add_argument("value", metavar="VALUE", help=_("0.0 to 1.0, in tenths."))
        score.add_argument(
            "--reason", default="", help=_("Why it differs from the proposed score.")
        )
        submit = action("submit", _("Submit a review (it needs its summary)."))
        submit.add_argument("review", metavar="REVIEW_CODE")

    def _access(self, organization_id: int, email: str) -> Access:
        user = User.objects.filter(email=email.strip().lower()).first()
        membership = (
            Membership.objects.filter(organization_id=organization_id, user=user)
            .select_related("organization", "user")
            .first()
            if user is not None
            else None
        )
        if membership is None:
            raise CommandError(
                _("%(email)s is not a member of that organization.") % {"email": email}
            )
        return access_for(membership)

    def _review(self, code: str, email: str) -> tuple[Review, Access]:
        organization_id = (
            Review.objects.filter(code=code.strip().lower())
            .values_list("organization_id", flat=True)
            .first()
        )
        if organization_id is None:
            raise CommandError(
                _("No review has the code “%(code)s” (`tenfold review list CYCLE_CODE`).")
                % {"code": code}
            )
        access = self._access(organization_id, email)
        return selectors.get_review(access.membership.organization, code.strip().lower()), access

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except ValidationError as error:
            raise CommandError(_message(error)) from error
        except PermissionDenied as error:
            raise CommandError(str(error) or _("You may not do that.")) from error
        except Http404 as error:
            raise CommandError(_("Not found.")) from error

    def _list(self, options: dict[str, Any]) -> None:
        cycle = Cycle.objects.filter(code=options["cycle"].strip().lower()).first()
        if cycle is None:
            raise CommandError(_("No cycle has the code “%(code)s”.") % {"code": options["cycle"]})
        access = self._access(cycle.organization_id, options["email"])
        reviews = selectors.reviews_of_cycle(access.membership.organization, cycle)
        if not reviews:
            self.stdout.write(
                _("%(cycle)s has no reviews yet: they open when it moves to reviewing.")
                % {"cycle": cycle.name}
            )
        for review in reviews:
            self.stdout.write(
                f"{review.code}  {review.get_state_display():<10}  "
                f"{selectors.review_title(review)}  "
                + _("%(n)d scores, %(m)d adjusted")
                % {"n": review.score_count, "m": review.adjusted_count}  # type: ignore[attr-defined]
            )

    def _show(self, options: dict[str, Any]) -> None:
        review, access = self._review(options["review"], options["email"])
        write = self.stdout.write
        title = selectors.review_title(review)
        write(f"{title} · {review.cycle.name} · {review.get_state_display()}")
        for block in selectors.review_scores(access, review):
            for score in ([block.score] if block.score else []) + block.key_results:
                indent = "    " if score.is_key_result else ""
                adjusted = "" if score.adjusted is None else f" ({score.reason})"
                write(
                    f"{indent}{score.target_code}  {score.proposed} → {score.final} "
                    f"[{selectors.band_label(score.colour)}]  {score.target.title}{adjusted}"
                )
        for label, text in (
            (_("Stop"), review.learn_stop),
            (_("Start"), review.learn_start),
            (_("Continue"), review.learn_continue),
            (_("Summary"), review.summary),
        ):
            if text:
                write(f"{label}: {text}")
        for question in questions_for(company=review.is_company):
            answer = (review.answers or {}).get(question.id)
            if answer:
                write(f"{question.text}\n  {answer}")

    def _score(self, options: dict[str, Any]) -> None:
        review, access = self._review(options["review"], options["email"])
        if not selectors.may_lead(access, review):
            raise PermissionDenied(_("Only the unit's leads and admins adjust its scores."))
        score = selectors.find_score(review, options["target"].strip().lower())
        score_adjust(access=access, score=score, value=options["value"], reason=options["reason"])
        self.stdout.write(
            _("“%(title)s”: proposed %(proposed)s, final %(final)s.")
            % {"title": score.target.title, "proposed": score.proposed, "final": score.final}
        )

    def _submit(self, options: dict[str, Any]) -> None:
        review, access = self._review(options["review"], options["email"])
        review_submit(access=access, review=review)
        self.stdout.write(
            _("Submitted the review of %(name)s.") % {"name": selectors.review_title(review)}
        )
