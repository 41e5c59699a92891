"""``scorecard remind``: e-mail reminders for cron (values due, overdue tasks, admin summary)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scorecard import clock
from scorecard.organizations.models import Organization
from scorecard.reviews.reminders import reminders_plan, reminders_send


class Command(BaseCommand):
    help = (
        "E-mail each updater the KPIs that need a value this period and each assignee "
        "their overdue tasks; admins get a summary of who has not updated."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Print the e-mails instead of sending them."
        )
        parser.add_argument("--org", help="Only this organization (its slug).")

    def handle(self, *args: Any, **options: Any) -> None:
        organization = None
        if options["org"]:
            organization = Organization.objects.filter(slug=options["org"]).first()
            if organization is None:
                raise CommandError(f"no organization “{options['org']}”.")
        plan = reminders_plan(today=clock.today(), organization=organization)
        for user, org, reason in plan.skipped:
            self.stdout.write(f"skipped {user.get_username()} ({org.slug}): {reason}")
        if not plan.emails:
            self.stdout.write("Nothing to send: every value is in and no task is overdue.")
            return
        if options["dry_run"]:
            for email in plan.emails:
                self.stdout.write(
                    f"--- To: {email.user.email}\nSubject: {email.subject}\n\n{email.body}"
                )
            self.stdout.write(f"Dry run: {len(plan.emails)} e-mail(s) would be sent.")
            return
        sent, problems = reminders_send(plan=plan)
        self.stdout.write(self.style.SUCCESS(f"Sent {sent} e-mail(s)."))
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(problems)} e-mail(s) could not be sent.")
