"""Typed SQLAlchemy models, one module per aggregate."""

from .audit import AuditEvent
from .base import Base, LabelledEnum, utcnow
from .content import CONTENT_KINDS, ContentItem, ContentMedia, ContentVersion
from .courses import (
    BookingMode,
    ClassSession,
    Course,
    CourseKind,
    DeviceTrack,
    SessionState,
    Venue,
    VenueKind,
    session_instructor,
)
from .form_tokens import UsedFormToken
from .kiosks import HelpRequest, Kiosk, UsageEvent, UsageKind
from .people import Device, Need, Participant, Role, Source, User
from .phone_loans import PhoneLoan
from .progress import ProgressRecord
from .questionnaires import QuestionnaireResponse
from .registrations import (
    ACTIVE_STATUSES,
    ATTENDED_STATUSES,
    Attendance,
    AttendanceStatus,
    CallReason,
    CallTask,
    CheckInMethod,
    LotteryDraw,
    Registration,
    RegistrationStatus,
)
from .report_figures import ReportKept, ReportPersonYear, ReportSessionKey, ReportStale
from .staff_sessions import StaffSession
from .throttle import LoginThrottle
from .unanswered import AnsweredQuestion, UnansweredQuestion

__all__ = [
    "ACTIVE_STATUSES",
    "ATTENDED_STATUSES",
    "AnsweredQuestion",
    "Attendance",
    "AttendanceStatus",
    "AuditEvent",
    "Base",
    "BookingMode",
    "CallReason",
    "CallTask",
    "CONTENT_KINDS",
    "ContentItem",
    "ContentMedia",
    "ContentVersion",
    "CheckInMethod",
    "ClassSession",
    "Course",
    "CourseKind",
    "Device",
    "HelpRequest",
    "Kiosk",
    "PhoneLoan",
    "ProgressRecord",
    "QuestionnaireResponse",
    "ReportKept",
    "ReportPersonYear",
    "ReportSessionKey",
    "ReportStale",
    "StaffSession",
    "UnansweredQuestion",
    "UsageEvent",
    "UsageKind",
    "UsedFormToken",
    "DeviceTrack",
    "LabelledEnum",
    "LoginThrottle",
    "LotteryDraw",
    "Need",
    "Participant",
    "Registration",
    "RegistrationStatus",
    "Role",
    "SessionState",
    "Source",
    "User",
    "Venue",
    "VenueKind",
    "session_instructor",
    "utcnow",
]
