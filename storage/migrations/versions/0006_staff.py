"""staff tables

Revision ID: 0006
Revises: 0005
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "referral_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("owner_ref", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code", name="uq_referral_code"),
        sa.UniqueConstraint("kind", "owner_ref", name="uq_referral_owner"),
    )
    op.create_table(
        "donation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("row_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("donated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
        sa.Column("attributed_by", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("imported_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("row_hash", name="uq_donation_row_hash"),
    )
    with op.batch_alter_table("donation", schema=None) as batch_op:
        batch_op.create_index("ix_donation_donated_at", ["donated_at"], unique=False)

    op.create_table(
        "sent_digest",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("week", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("space_id", sa.Integer(), nullable=False),
        sa.Column("sent_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["space_id"],
            ["space.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("week", "space_id", name="uq_sent_digest_week_space"),
    )
    op.create_table(
        "dashboard_login",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("used_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash", name="uq_dashboard_login_token"),
    )


def downgrade() -> None:
    op.drop_table("dashboard_login")
    op.drop_table("sent_digest")
    with op.batch_alter_table("donation", schema=None) as batch_op:
        batch_op.drop_index("ix_donation_donated_at")
    op.drop_table("donation")
    op.drop_table("referral_code")
