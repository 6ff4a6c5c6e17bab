from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField
from wtforms.validators import DataRequired

from ..forms import Form


class EraseForm(Form):
    confirm = BooleanField(
        _l("The resident asked for their data to be erased, and I checked it is them."),
        validators=[DataRequired(_l("Please confirm before erasing."))],
    )


class ImportUploadForm(Form):
    file = FileField(
        _l("CSV file (UTF-8 or Shift_JIS)"), validators=[FileRequired(_l("Please choose a file."))]
    )


class ImportApplyForm(Form):
    #: the checked file, carried back unchanged so that what is imported is what was previewed
    payload = HiddenField()
