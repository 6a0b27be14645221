"""the childcare app's monthly store downloads (app_download); community leaves in the engagement log

Revision ID: 0015
Revises: 0014

The stock KPI participants_at_fy_end counts members whose last community join before a moment is not followed by a
leave: leaves are logged from now on (member_left, space community), and the leaves already known (community_member
rows with left_at) are logged here once, so an upgraded database counts them too.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "app_download",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
        sa.Column("ios", sa.Integer(), nullable=False),
        sa.Column("android", sa.Integer(), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("recorded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("month", name="uq_app_download_month"),
    )
    op.execute(
        sa.text(
            "INSERT INTO engagement (at, kind, member, platform, space, detail) "
            "SELECT cm.left_at, 'member_left', m.public_id, cm.platform, 'community', '' "
            "FROM community_member cm JOIN member m ON m.id = cm.member_id WHERE cm.left_at IS NOT NULL"
        )
    )


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM engagement WHERE kind = 'member_left' AND space = 'community'"))
    op.drop_table("app_download")
