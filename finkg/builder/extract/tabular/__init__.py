"""Extractors for reports in the CSRC's structure (numbered chapters, tables read as rows of cells).

Every bank listed in China prints its annual report in the chapters and tables the CSRC's format sets out
(公司简介和主要财务指标, 股份变动及股东情况, 董事、监事、高级管理人员和员工情况 …), in its own layout and
wording.  These extractors read those tables by their headers and by what their cells hold, whatever the
order of the columns, from the rows of cells a reader gives (a PDF's ruled tables, a text export's
list-literal rows) or from lines split at their spaces.  The wording they look for is data
(:mod:`finkg.builder.conventions`).
"""

from .holders import controllers, share_capital, top_shareholders
from .metrics import key_metrics
from .people import committees, people
from .profile import bank_profile

__all__ = ["bank_profile", "committees", "controllers", "key_metrics", "people", "share_capital", "top_shareholders"]
