"""childcare tables

Revision ID: 0003
Revises: 0002
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "childcare_child",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("born_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("member_id", "born_on", name="uq_childcare_child_member_date"),
    )
    with op.batch_alter_table("childcare_child", schema=None) as batch_op:
        batch_op.create_index("ix_childcare_child_member", ["member_id"], unique=False)

    op.create_table(
        "childcare_notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=False),
        sa.Column("touchpoint", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("sent_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["child_id"], ["childcare_child.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("child_id", "touchpoint", name="uq_childcare_notice_child_touchpoint"),
    )

    op.create_table(
        "childcare_hiroba_survey",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plaza", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("started_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("ease", sa.Integer(), nullable=True),
        sa.Column("again", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("completed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("childcare_hiroba_survey", schema=None) as batch_op:
        batch_op.create_index("ix_hiroba_survey_member", ["member_id"], unique=False)
        batch_op.create_index("ix_hiroba_survey_plaza_started", ["plaza", "started_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("childcare_hiroba_survey", schema=None) as batch_op:
        batch_op.drop_index("ix_hiroba_survey_plaza_started")
        batch_op.drop_index("ix_hiroba_survey_member")
    op.drop_table("childcare_hiroba_survey")
    op.drop_table("childcare_notice")
    with op.batch_alter_table("childcare_child", schema=None) as batch_op:
        batch_op.drop_index("ix_childcare_child_member")
    op.drop_table("childcare_child")
