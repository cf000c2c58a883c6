from django.db import models


class PredictionFit(models.Model):
    """The BG/NBD and Gamma-Gamma parameters fitted to one currency's customers.

    One row per day the history was scored as of and currency; rescoring the
    same day again replaces it. Times are in weeks, so ``alpha`` is per week.
    """

    as_of = models.DateField()
    currency = models.CharField(max_length=3)
    # BG/NBD (Fader, Hardie & Lee 2005): purchase rate ~ Gamma(r, alpha),
    # drop-out probability after each purchase ~ Beta(a, b).
    r = models.FloatField()
    alpha = models.FloatField()
    a = models.FloatField()
    b = models.FloatField()
    log_likelihood = models.FloatField()
    customers = models.PositiveIntegerField()
    converged = models.BooleanField(default=True)
    # Gamma-Gamma spend per purchase; empty when too few customers bought twice.
    p = models.FloatField(null=True, blank=True)
    q = models.FloatField(null=True, blank=True)
    v = models.FloatField(null=True, blank=True)
    gg_customers = models.PositiveIntegerField(default=0)
    fitted_at = models.DateTimeField()

    class Meta:
        ordering = ("-as_of", "currency")
        constraints = [
            models.UniqueConstraint(
                fields=["as_of", "currency"], name="kinship_prediction_fit_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Prediction fit {self.currency} as of {self.as_of}"
