from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create(email, password, **extra)


class User(AbstractUser):
    """A person. People sign in with their email address; one person can belong to several
    organizations through memberships."""

    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("email address"), unique=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    is_service = models.BooleanField(
        _("service account"),
        default=False,
        help_text=_("An account that only a service token uses; it never signs in or gets email."),
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name or self.email.split("@")[0]

    @property
    def initials(self) -> str:
        parts = self.display_name.replace(".", " ").split()
        return "".join(part[0] for part in parts[:2]).upper() or "?"


class ApiToken(models.Model):
    """An API token, scoped to one organization. Only a digest is stored: the token itself is
    shown once, when it is made. A personal token acts as its person; a service token acts as
    a service account made for it (`user.is_service`), so it keeps working when people leave."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(max_length=12, unique=True)
    digest = models.CharField(max_length=64, unique=True)
    read_only = models.BooleanField(_("read only"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class SingleSignOn(models.Model):
    """An organization's OpenID Connect sign-in. The issuer, client id and secret live on the
    allauth `SocialApp` it owns (provider "openid_connect", provider id `org-<slug>`); this row
    says which organization the app belongs to, which email domains it covers and whether it
    is on."""

    organization = models.OneToOneField(
        "organizations.Organization", on_delete=models.CASCADE, related_name="single_sign_on"
    )
    app = models.OneToOneField(
        "socialaccount.SocialApp", on_delete=models.CASCADE, related_name="single_sign_on"
    )
    domains = models.TextField(_("email domains"), blank=True)
    enabled = models.BooleanField(_("on"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.app.provider_id} ({self.domains})"

    @property
    def domain_list(self) -> list[str]:
        """The email domains this sign-in covers, lower case, one per entry."""
        return [d for d in self.domains.split() if d]
