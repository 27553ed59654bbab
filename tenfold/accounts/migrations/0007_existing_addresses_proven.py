"""Sign-in addresses are now confirmed by mail before a first password sign-in
(ACCOUNT_EMAIL_VERIFICATION "mandatory"). Accounts that already exist were admitted by an
admin, an invitation or the operator before that rule: their addresses are recorded as proven,
so an upgrade locks nobody out. Accounts made from now on prove theirs."""

from django.db import migrations


def prove_existing(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    with_address = EmailAddress.objects.values("user_id")
    rows = [
        EmailAddress(user_id=pk, email=email.lower(), verified=True, primary=True)
        for pk, email in User.objects.exclude(pk__in=with_address).values_list("pk", "email")
    ]
    EmailAddress.objects.bulk_create(rows, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_single_sign_on"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(prove_existing, migrations.RunPython.noop)]
