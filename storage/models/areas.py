"""SQLModel tables for the 行政区 (administrative neighbourhood associations): the city's 区 with the profile their
representative fills in, the groups and channels bound to a 区 or a 小学校区 (area communities), and the 区 members
chose to record as theirs.

Personal data: which 区 a member recorded (erased by /forget-me). A representative is a role (member_role, scope =
the 区's id), not a column here. A 区's profile describes the association, not a person."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class Area(SQLModel, table=True):
    """One 区. Nothing but its name, 地区 and 小学校区 is shown to the public until `published`."""

    __tablename__ = "area"
    __table_args__ = (
        UniqueConstraint("name", name="uq_area_name"),
        Index("ix_area_district", "district"),
        Index("ix_area_school", "school"),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=40)
    district: str = Field(default="", max_length=40)  # 地区
    school: str = Field(default="", max_length=40)  # 小学校区
    entry_fee: str = Field(default="", max_length=200)  # 入会金
    dues: str = Field(default="", max_length=200)  # 区費 / 年会費
    garbage: str = Field(default="", max_length=300)  # ゴミ出し
    cleanup: str = Field(default="", max_length=300)  # 草刈り and other 奉仕作業, how often
    social: str = Field(default="", max_length=300)  # 冠婚葬祭 and other つきあい
    notes: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    newcomers: bool | None = None  # True: the 区 says newcomers are welcome
    published: bool = False
    published_at: datetime | None = None
    updated_at: datetime | None = None
    created_at: datetime


class AreaSpace(SQLModel, table=True):
    """A LINE group or Discord channel bound to a 区 (area_id) or to a 小学校区 (school). A space has one binding."""

    __tablename__ = "area_space"
    __table_args__ = (UniqueConstraint("space_id", name="uq_area_space_space"),)

    id: int | None = Field(default=None, primary_key=True)
    space_id: int = Field(foreign_key="space.id")
    area_id: int | None = Field(default=None, foreign_key="area.id")
    school: str = Field(default="", max_length=40)
    bound_at: datetime
    last_message_at: datetime | None = None
    nudged_at: datetime | None = None  # the last quiet-areas nudge or staff report for this space
    nudges: int = 0  # rotates the conversation starters


class AreaResident(SQLModel, table=True):
    """The 区 a member says they live in (optional: /area mine), so announcements can reach a 区."""

    __tablename__ = "area_resident"
    __table_args__ = (
        UniqueConstraint("member_id", name="uq_area_resident_member"),
        Index("ix_area_resident_area", "area_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id")
    area_id: int = Field(foreign_key="area.id")
    recorded_at: datetime
