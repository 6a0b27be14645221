"""living in the town (issue 17): 行政区 and their area communities, 貸畑 and 空き家 listings with the conversations
the bot relays, circles, and occasions for sign-up QR codes

Revision ID: 0018
Revises: 0017
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "area",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("district", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("school", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("entry_fee", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("dues", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("garbage", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("cleanup", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("social", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("notes", sa.Text(), server_default="", nullable=False),
        sa.Column("newcomers", sa.Boolean(), nullable=True),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("published_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name", name="uq_area_name"),
    )
    with op.batch_alter_table("area", schema=None) as batch_op:
        batch_op.create_index("ix_area_district", ["district"], unique=False)
        batch_op.create_index("ix_area_school", ["school"], unique=False)

    op.create_table(
        "occasion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code", name="uq_occasion_code"),
    )
    op.create_table(
        "area_resident",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["area_id"],
            ["area.id"],
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("member_id", name="uq_area_resident_member"),
    )
    with op.batch_alter_table("area_resident", schema=None) as batch_op:
        batch_op.create_index("ix_area_resident_area", ["area_id"], unique=False)

    op.create_table(
        "area_space",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("space_id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=True),
        sa.Column("school", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("bound_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("last_message_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("nudged_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("nudges", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["area_id"],
            ["area.id"],
        ),
        sa.ForeignKeyConstraint(
            ["space_id"],
            ["space.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("space_id", name="uq_area_space_space"),
    )
    op.create_table(
        "circle",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("category", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("activity", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("area", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("join_url", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("submitter_member_id", sa.Integer(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("reviewed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("closed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["submitter_member_id"],
            ["member.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("circle", schema=None) as batch_op:
        batch_op.create_index("ix_circle_status", ["status"], unique=False)
        batch_op.create_index("ix_circle_submitter", ["submitter_member_id"], unique=False)

    op.create_table(
        "inquiry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("asker_member_id", sa.Integer(), nullable=False),
        sa.Column("owner_member_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("last_message_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("from_asker", sa.Integer(), nullable=False),
        sa.Column("from_owner", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["asker_member_id"],
            ["member.id"],
        ),
        sa.ForeignKeyConstraint(
            ["owner_member_id"],
            ["member.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("inquiry", schema=None) as batch_op:
        batch_op.create_index("ix_inquiry_asker", ["asker_member_id"], unique=False)
        batch_op.create_index("ix_inquiry_owner", ["owner_member_id"], unique=False)
        batch_op.create_index("ix_inquiry_subject", ["subject", "subject_id"], unique=False)

    op.create_table(
        "listing",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("owner_member_id", sa.Integer(), nullable=False),
        sa.Column("place", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("size", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("price", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("conditions", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("photo_url", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("reviewed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("closed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["owner_member_id"],
            ["member.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("listing", schema=None) as batch_op:
        batch_op.create_index("ix_listing_owner", ["owner_member_id"], unique=False)
        batch_op.create_index("ix_listing_status_expires", ["status", "expires_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("listing", schema=None) as batch_op:
        batch_op.drop_index("ix_listing_status_expires")
        batch_op.drop_index("ix_listing_owner")

    op.drop_table("listing")
    with op.batch_alter_table("inquiry", schema=None) as batch_op:
        batch_op.drop_index("ix_inquiry_subject")
        batch_op.drop_index("ix_inquiry_owner")
        batch_op.drop_index("ix_inquiry_asker")

    op.drop_table("inquiry")
    with op.batch_alter_table("circle", schema=None) as batch_op:
        batch_op.drop_index("ix_circle_submitter")
        batch_op.drop_index("ix_circle_status")

    op.drop_table("circle")
    op.drop_table("area_space")
    with op.batch_alter_table("area_resident", schema=None) as batch_op:
        batch_op.drop_index("ix_area_resident_area")

    op.drop_table("area_resident")
    op.drop_table("occasion")
    with op.batch_alter_table("area", schema=None) as batch_op:
        batch_op.drop_index("ix_area_school")
        batch_op.drop_index("ix_area_district")

    op.drop_table("area")
