"""Users as Saleor has them: e-mail login, names, note and two metadata maps."""

from typing import Any

from django.contrib.auth.models import (
    AbstractBaseUser,
    BaseUserManager,
    PermissionsMixin,
)
from django.db import models
from django.utils import timezone


class UserManager(BaseUserManager["User"]):
    def create_user(
        self, email: str, password: str | None = None, **extra: Any
    ) -> "User":
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save()
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any):
        return self.create_user(
            email, password, is_staff=True, is_superuser=True, **extra
        )


class User(PermissionsMixin, AbstractBaseUser):
    email = models.EmailField(unique=True)
    first_name = models.CharField(max_length=256, blank=True)
    last_name = models.CharField(max_length=256, blank=True)
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    note = models.TextField(blank=True, default="")
    metadata = models.JSONField(blank=True, default=dict)
    private_metadata = models.JSONField(blank=True, default=dict)
    date_joined = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    USERNAME_FIELD = "email"
    objects = UserManager()

    class Meta:
        ordering = ("email",)
        # Saleor's permission codenames, so kinship checks the same names.
        permissions = (
            ("manage_users", "Manage customers."),
            ("manage_staff", "Manage staff."),
            ("impersonate_user", "Impersonate user."),
        )

    def __str__(self) -> str:
        return f"User {self.pk}"


class App(models.Model):
    """A third-party app with its own token and permissions, as in Saleor."""

    name = models.CharField(max_length=60)
    is_active = models.BooleanField(default=True)
    permissions = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"App {self.pk}"
