import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import tenfold.lib.codes


class Migration(migrations.Migration):

    dependencies = [
        ('organizations', '0002_changecounter'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Invitation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(default=tenfold.lib.codes.new_code, editable=False, max_length=12, unique=True)),
                ('email', models.EmailField(max_length=254, verbose_name='email')),
                ('role', models.CharField(choices=[('owner', 'Owner'), ('admin', 'Admin'), ('lead', 'Lead'), ('member', 'Member'), ('viewer', 'Viewer')], default='member', max_length=10, verbose_name='role')),
                ('token_hash', models.CharField(editable=False, max_length=64, unique=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('expires_at', models.DateTimeField()),
                ('accepted_at', models.DateTimeField(blank=True, null=True)),
                ('revoked_at', models.DateTimeField(blank=True, null=True)),
                ('invited_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='invitations', to='organizations.organization')),
                ('units', models.ManyToManyField(blank=True, to='organizations.unit', verbose_name='units to join')),
            ],
            options={
                'ordering': ('-created_at',),
                'indexes': [models.Index(fields=['organization', 'email'], name='invitation_org_email')],
            },
        ),
    ]
