"""Which text model this process analyses with: the shipped one, or the one a setting names."""

from __future__ import annotations

from analysis import model
from settings import ConfigError, Settings


def use_model(settings: Settings) -> None:
    """Analyse with the text model the settings name (FULLCIRCLE_MODEL), checked now."""
    try:
        model.use(settings.model_file)
    except model.ModelFileError as exc:
        raise ConfigError(f"FULLCIRCLE_MODEL: {exc}") from exc
