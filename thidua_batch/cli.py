"""The command line: each command builds the library objects, makes one call, and turns a
library exception into a Vietnamese message with exit status 2 (style.md, sqlite-utils)."""
from __future__ import annotations

import datetime as dt
import os
import sys
import time
from pathlib import Path

import click

from . import batch
from .common import cli_words
from .common.atomic import OutputBlocked
from .common.console import use_safe_streams
from .common.timings import Timings
from .config.campaign import Campaign, CampaignError, load_campaign
from .documents.board import units_with_notes
from .documents.report import dumps, file_entry
from .documents.report import stats as report_stats
from .documents.report import to_report
from .intake.inbox import walk
from .intake.workers import Readers
from .model.findings import SEVERITY_WORDS, Severity
from .model.results import (COLLECTIVE, FILE_STATUS_WORDS, HAS_ERRORS, INDIVIDUAL, MISSING, OK, OVER_QUOTA,
                            STATUS_WORDS, UNDER_QUOTA, UNUSABLE, BatchResult, FileResult)


cli_words.install()     # click's own errors and help words in Vietnamese, before any option is declared


class Stop(click.ClickException):
    """The command cannot run: nothing was written (exit status 2)."""

    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(f"Lỗi: {self.format_message()}", err=True)


class _Command(click.Command):
    """click's help and usage texts, in Vietnamese."""

    def get_help_option(self, ctx: click.Context):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "Hiện hướng dẫn này rồi thoát."
        return option

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        return [p.replace("[OPTIONS]", "[TÙY CHỌN]") for p in super().collect_usage_pieces(ctx)]

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix="Cách dùng: ")

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        records = [(name, text.replace("[required]", "[bắt buộc]"))
                   for param in self.get_params(ctx)
                   if isinstance(param, click.Option) and (record := param.get_help_record(ctx))
                   for name, text in [record]]
        if records:
            with formatter.section("Tùy chọn"):
                formatter.write_dl(records)


class _Group(_Command, click.Group):
    command_class = _Command

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        _Command.format_options(self, ctx, formatter)
        self.format_commands(ctx, formatter)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, cmd.get_short_help_str(formatter.width)) for name in self.list_commands(ctx)
                if (cmd := self.get_command(ctx, name)) is not None and not cmd.hidden]
        if rows:
            with formatter.section("Lệnh"):
                formatter.write_dl(rows)

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        return [p.replace("COMMAND [ARGS]...", "LỆNH [THAM SỐ]...") for p in super().collect_usage_pieces(ctx)]

    def main(self, *args, **kwargs):
        """Run with click's errors said in Vietnamese (exit 2 for a wrong call). Output goes out as UTF-8 to
        files and pipes and never fails on a console that cannot show a letter."""
        use_safe_streams()
        kwargs["standalone_mode"] = False
        try:
            code = super().main(*args, **kwargs)
        except OutputBlocked as exc:    # an output open in Word or Excel: nothing was replaced
            Stop(str(exc)).show()
            sys.exit(2)
        except click.UsageError as exc:
            where = exc.ctx.command_path if exc.ctx else "thidua-batch"
            click.echo(f"Lỗi: {_usage_message(exc)}\nXem hướng dẫn: {where} --help", err=True)
            sys.exit(2)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("Đã dừng.", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


def _usage_message(exc: click.UsageError) -> str:
    param = getattr(exc, "param", None)
    hint = "/".join(param.opts) if param is not None and param.param_type_name == "option" else (
        param.human_readable_name if param is not None else "")
    if isinstance(exc, click.MissingParameter):
        kind = "tùy chọn" if param is not None and param.param_type_name == "option" else "tham số"
        return f"thiếu {kind} bắt buộc {hint}" + ("" if hint.endswith(".") else ".")
    if isinstance(exc, click.NoSuchOption):
        return f"không có tùy chọn “{exc.option_name}”."
    if isinstance(exc, click.BadParameter):
        return f"giá trị không hợp lệ cho {hint}: {exc.message}"
    return exc.format_message()     # click's own text, in Vietnamese through common.cli_words


campaign_option = click.option("--campaign", "campaign_path", metavar="TỆP",
                               type=click.Path(dir_okay=False, path_type=Path),
                               help="Tệp TOML mô tả chiến dịch (mặc định: Kế hoạch 199/KH-LĐLĐ năm 2020).")


register_option = click.option(
    "--register", "register_path", metavar="TỆP", default="so_khen_thuong.sqlite", show_default=True,
    type=click.Path(dir_okay=False, path_type=Path), help="Tệp sổ khen thưởng (SQLite).")


def _campaign(path: Path | None) -> Campaign:
    try:
        return load_campaign(path)
    except CampaignError as exc:
        raise Stop(str(exc)) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="thidua-batch", help="Hiện phiên bản rồi thoát.",
                      message="%(prog)s, phiên bản %(version)s")
def main() -> None:
    """thidua-batch: mẫu biểu, kiểm tra và tổng hợp hồ sơ đề nghị khen thưởng của các đơn vị."""


@main.command()
@click.option("--out", "out_dir", required=True, metavar="THƯ_MỤC", type=click.Path(file_okay=False, path_type=Path),
              help="Thư mục ghi mẫu biểu.")
@click.option("--unit", "unit_id", metavar="MÃ", help="Mã đơn vị: ghi mẫu đã điền sẵn tên đơn vị này.")
@click.option("--all-units", is_flag=True, help="Ghi mẫu trắng và một mẫu cho từng đơn vị trong danh sách.")
@campaign_option
def template(out_dir: Path, unit_id: str | None, all_units: bool, campaign_path: Path | None) -> None:
    """Ghi mẫu bảng tính Excel để gửi các đơn vị điền."""
    from .config.unit_template import TemplateUnitError, write_templates

    if unit_id and all_units:
        raise Stop("Chỉ dùng một trong hai tùy chọn --unit hoặc --all-units.")
    campaign = _campaign(campaign_path)
    try:
        paths = write_templates(campaign, out_dir, unit_id=unit_id, all_units=all_units)
    except TemplateUnitError as exc:
        raise Stop(str(exc)) from None
    for path in paths:
        click.echo(f"Đã ghi {path}")


jobs_option = click.option(
    "--jobs", "jobs", type=click.IntRange(min=1), default=None, metavar="N",
    help="Số tiến trình đọc tệp song song (mặc định: số lõi của máy; 1: đọc ngay trong chương trình, để dò lỗi).")


@main.command()
@click.argument("files", nargs=-1, required=True, metavar="TỆP...", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@jobs_option
@campaign_option
def check(files: tuple[Path, ...], as_json: bool, jobs: int | None, campaign_path: Path | None) -> None:
    """Kiểm tra từng tệp Excel của đơn vị, in các lỗi theo trang và ô."""
    campaign = _campaign(campaign_path)
    absent = [str(f) for f in files if not (f.exists() or f.is_symlink()) or f.is_dir()]
    if absent:
        raise Stop("Không tìm thấy tệp: " + ", ".join(absent))
    results = batch.check_paths(files, campaign, jobs=jobs)
    if as_json:
        click.echo(dumps({"files": [file_entry(r, campaign) for r in results],
                          "findings": [f.to_dict() for r in results for f in r.findings]}), nl=False)
    else:
        for result in results:
            _print_file(result, campaign)
    sys.exit(1 if any(f.is_error for r in results for f in r.findings) else 0)


def _print_file(result: FileResult, campaign: Campaign) -> None:
    unit = campaign.roster.get(result.unit or "")
    click.echo(f"Tệp: {result.path}  [{FILE_STATUS_WORDS[result.status]}]")
    click.echo(f"  Đơn vị: {f'{unit.name} ({unit.id})' if unit else 'không xác định'}")
    click.echo(f"  Đọc được: {len(result.collectives)} tập thể, {len(result.individuals)} cá nhân")
    if not result.findings:
        click.echo("  Không có lỗi hay cảnh báo.")
    for finding in result.findings:
        click.echo(f"  {SEVERITY_WORDS[finding.severity]:<9} {finding.place or '-':<16} {finding.message}")
    click.echo("")


@main.command()
@click.argument("inbox", type=click.Path(path_type=Path))
@click.option("--out", "out_dir", required=True, metavar="THƯ_MỤC", type=click.Path(file_okay=False, path_type=Path),
              help="Thư mục ghi kết quả.")
@click.option("--json", "as_json", is_flag=True, help="In report.json ra màn hình thay cho bản tóm tắt.")
@click.option("--templates", "templates_dir", metavar="THƯ_MỤC", type=click.Path(file_okay=False, path_type=Path),
              help="Thư mục chứa mẫu Word (*_tpl.docx) thay cho mẫu có sẵn.")
@click.option("--timings", "show_timings", is_flag=True, help="In thời gian của từng bước (tìm, đọc, kiểm tra, "
              "tổng hợp, ghi) để biết thời gian dùng vào đâu.")
@register_option
@jobs_option
@campaign_option
def run(inbox: Path, out_dir: Path, as_json: bool, templates_dir: Path | None, show_timings: bool,
        register_path: Path, jobs: int | None, campaign_path: Path | None) -> None:
    """Đọc mọi tệp trong thư mục INBOX, kiểm tra, tổng hợp và ghi kết quả vào --out."""
    from .documents.drafts import WordTemplateError
    from .documents.outputs import check_output_templates, write_outputs

    campaign = _campaign(campaign_path)
    if not inbox.is_dir():
        raise Stop(f"Không tìm thấy thư mục hồ sơ “{inbox}”.")
    if out_dir.resolve() == inbox.resolve() or inbox.resolve() in out_dir.resolve().parents:
        raise Stop("Thư mục kết quả (--out) không được nằm trong thư mục hồ sơ: đầu vào không bao giờ bị ghi đè.")
    try:
        check_output_templates(templates_dir)
    except WordTemplateError as exc:
        raise Stop(str(exc)) from None
    if register_path.exists():      # a damaged register stops the run before anything is read or written
        _open_register(register_path, create=False).close()
    started = time.monotonic()
    timings = Timings()
    with batch.reading_pool(campaign, jobs) as workers:   # the workers that read then write the Word papers
        result = _run_with_progress(inbox, campaign, quiet=as_json, timings=timings, register=register_path,
                                    workers=workers)
        write_outputs(result, out_dir, templates_dir, timings, workers)
    if as_json:
        click.echo(dumps(to_report(result)), nl=False)
    else:
        _print_summary(result, out_dir, time.monotonic() - started)
    if show_timings:
        click.echo(f"Thời gian: {timings.summary()}.", err=as_json)
    sys.exit(0 if result.valid else 1)


def _run_with_progress(inbox: Path, campaign: Campaign, quiet: bool, timings: Timings,
                       register: Path | None = None, workers: Readers | None = None) -> BatchResult:
    if quiet or not sys.stderr.isatty():
        return batch.run_batch(inbox, campaign, timings=timings, register=register, readers=workers)
    total = sum(1 for _ in walk(inbox))
    if total < 20:
        return batch.run_batch(inbox, campaign, timings=timings, register=register, readers=workers)
    with click.progressbar(length=total, label="Đang đọc hồ sơ", file=sys.stderr) as bar:
        return batch.run_batch(inbox, campaign, progress=lambda _path: bar.update(1), timings=timings,
                               register=register, readers=workers)


def _print_summary(result: BatchResult, out_dir: Path, seconds: float) -> None:
    stats = report_stats(result)
    by_status: dict[str, list[str]] = {}
    for u in result.units:
        by_status.setdefault(u.status, []).append(u.unit.name)
    click.echo(f"Tệp: {stats['files']} tệp; nhận {stats['files_accepted']}, từ chối {stats['files_rejected']}, "
               f"bỏ qua {stats['files_ignored']}, bị thay thế {stats['files_superseded']}.")
    noted = units_with_notes(result)
    fine = [u.unit.name for u in result.units if u.status == OK and u.unit.id not in noted]
    click.echo(f"Đơn vị: {stats['units_submitted']}/{stats['units_expected']} đơn vị đã gửi; "
               f"{len(fine)} đạt yêu cầu.")
    if noted:   # the tờ trình states a fact about these: not "Đạt yêu cầu" there, nor here
        click.echo("  Không có lỗi, có điều cần lưu ý (xem Ghi chú của tờ trình): "
                   + ", ".join(u.unit.name for u in result.units if u.unit.id in noted))
    for status in (HAS_ERRORS, OVER_QUOTA, UNDER_QUOTA, UNUSABLE, MISSING):
        if by_status.get(status):
            click.echo(f"  {STATUS_WORDS[status]}: {', '.join(by_status[status])}")
    click.echo(f"Đưa vào dự thảo quyết định: {len(result.in_decision(COLLECTIVE))} tập thể, "
               f"{len(result.in_decision(INDIVIDUAL))} cá nhân.")
    click.echo(f"Lỗi: {result.count(Severity.ERROR)}; cảnh báo: {result.count(Severity.WARNING)}.")
    click.echo(f"Kết quả đã ghi vào: {out_dir} ({seconds:.1f} giây).")


# ---------------------------------------------------------------------- the award register

@main.group(cls=_Group)
def register() -> None:
    """Sổ khen thưởng: ghi quyết định đã ký, nhập quyết định khác, tra cứu, xuất Excel."""


def _open_register(path: Path, create: bool = True):
    from .register.store import RegisterError, open_register

    try:
        return open_register(path, create=create)
    except RegisterError as exc:
        raise Stop(str(exc)) from None


def _register_call(action):
    """Run a register action; its RegisterError becomes exit 2 with the message."""
    from .register.store import RegisterError

    try:
        return action()
    except RegisterError as exc:
        raise Stop(str(exc)) from None


def _recorded(done: bool, decision) -> None:
    what = f"Quyết định số {decision.number} ngày {decision.date:%d/%m/%Y} ({len(decision.awardees)} tập thể, cá nhân)"
    click.echo(f"Đã ghi vào sổ: {what}." if done else f"{what} đã có trong sổ, giống hệt: không ghi lại.")


@register.command()
@click.argument("run_dir", metavar="THƯ_MỤC_KẾT_QUẢ", type=click.Path(file_okay=False, path_type=Path))
@click.option("--number", required=True, metavar="SỐ", help="Số quyết định đã ký, ví dụ “123/QĐ-LĐLĐ”.")
@click.option("--date", "date_text", required=True, metavar="NGÀY", help="Ngày ký, ví dụ 2020-12-28.")
@register_option
@campaign_option
def record(run_dir: Path, number: str, date_text: str, register_path: Path, campaign_path: Path | None) -> None:
    """Ghi vào sổ quyết định đã ký từ dự thảo của một lần chạy (đúng danh sách trong report.json)."""
    from .register.commands import record_run

    campaign = _campaign(campaign_path)
    _recorded(*_register_call(lambda: record_run(register_path, run_dir, number, date_text, campaign)))


@register.command(name="import")
@click.argument("list_file", metavar="TỆP.xlsx", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--number", required=True, metavar="SỐ", help="Số quyết định.")
@click.option("--date", "date_text", required=True, metavar="NGÀY", help="Ngày ký, ví dụ 2020-12-28.")
@click.option("--award", required=True, metavar="HÌNH_THỨC", help="Hình thức khen thưởng, ví dụ “Cờ thi đua”.")
@click.option("--year", type=int, metavar="NĂM", help="Năm khen thưởng (mặc định: năm của chiến dịch).")
@register_option
@campaign_option
def import_(list_file: Path, number: str, date_text: str, award: str, year: int | None, register_path: Path,
            campaign_path: Path | None) -> None:
    """Ghi vào sổ một quyết định ban hành ngoài công cụ, từ tệp danh sách (mẫu: register template)."""
    from .register.commands import decision_from_list, parse_date

    campaign = _campaign(campaign_path)
    decision = _register_call(lambda: decision_from_list(list_file, number, parse_date(date_text), award,
                                                         campaign, year))
    with _open_register(register_path) as book:
        _recorded(_register_call(lambda: book.record(decision)), decision)


@register.command(name="remove")
@click.option("--number", required=True, metavar="SỐ", help="Số quyết định đã ghi nhầm, ví dụ “123/QĐ-LĐLĐ”.")
@click.option("--yes", is_flag=True, help="Không hỏi lại.")
@register_option
def remove(number: str, yes: bool, register_path: Path) -> None:
    """Gỡ khỏi sổ một quyết định ghi nhầm (cùng người được khen và số Bằng khen đã cấp)."""
    from .register.commands import remove_decision, removal_lines

    with _open_register(register_path, create=False) as book:
        decision = book.decision(number)
        if decision is None:
            _register_call(lambda: book.remove(number))   # says the number is unknown: exit 2
        click.echo("Sẽ gỡ khỏi sổ:\n" + "\n".join(removal_lines(decision)))
        if not yes and not click.confirm("Gỡ quyết định này khỏi sổ?", default=False, prompt_suffix=" "):
            click.echo("Không gỡ gì.")
            sys.exit(1)
        _register_call(lambda: remove_decision(book, number))
    click.echo(f"Đã gỡ Quyết định số {decision.number} khỏi sổ.")


@register.command(name="template")
@click.option("--out", "out_dir", required=True, metavar="THƯ_MỤC", type=click.Path(file_okay=False, path_type=Path),
              help="Thư mục ghi mẫu danh sách.")
def register_template(out_dir: Path) -> None:
    """Ghi mẫu danh sách Excel để nhập một quyết định (register import)."""
    from .register.commands import write_import_template

    click.echo(f"Đã ghi {write_import_template(out_dir)}")


@register.command(name="list")
@click.option("--year", type=int, metavar="NĂM", help="Chỉ các quyết định của năm này.")
@click.option("--name", metavar="TÊN", help="Tra lịch sử khen thưởng của người, tập thể có tên chứa chữ này.")
@click.option("--unit", "unit_id", metavar="MÃ", help="Chỉ người, tập thể do đơn vị này đề nghị.")
@click.option("--json", "as_json", is_flag=True, help="In dạng JSON.")
@register_option
def list_(year: int | None, name: str | None, unit_id: str | None, as_json: bool, register_path: Path) -> None:
    """In các quyết định trong sổ, hoặc lịch sử khen thưởng của một người, tập thể."""
    with _open_register(register_path, create=False) as book:
        if name or unit_id:
            rows = book.search(name=name, unit=unit_id, year=year)
            data = [{"decision": d.number, "date": d.date.isoformat(), "award": d.award, "year": d.year,
                     "kind": a.kind, "name": a.name, "birth_year": a.birth_year, "unit": a.unit_id,
                     "certificate_no": a.certificate_no} for d, a in rows]
            lines = [f"{a.name}{f' ({a.birth_year})' if a.birth_year else ''} - {a.unit_name}: {d.award} năm {d.year}, "
                     f"Quyết định số {d.number} ngày {d.date:%d/%m/%Y}" for d, a in rows]
        else:
            decisions = book.decisions(year)
            data = [{"number": d.number, "date": d.date.isoformat(), "award": d.award, "year": d.year,
                     "awardees": len(d.awardees), "source": d.source} for d in decisions]
            lines = [f"{d.number} ngày {d.date:%d/%m/%Y}: {d.award} ({len(d.awardees)} tập thể, cá nhân)"
                     for d in decisions]
    if as_json:
        click.echo(dumps(data), nl=False)
    else:
        click.echo("\n".join(lines) if lines else "Không có kết quả nào.")


@register.command(name="export")
@click.option("--out", "out_file", required=True, metavar="TỆP.xlsx", type=click.Path(dir_okay=False, path_type=Path),
              help="Tệp Excel ghi ra.")
@register_option
def export_(out_file: Path, register_path: Path) -> None:
    """Xuất toàn bộ sổ khen thưởng ra Excel: một trang quyết định, một trang người được khen."""
    from .register.commands import export

    with _open_register(register_path, create=False) as book:
        click.echo(f"Đã ghi {export(book, out_file)}")


@main.command()
@click.option("--decision", "number", required=True, metavar="SỐ", help="Số quyết định trong sổ, ví dụ “123/QĐ-LĐLĐ”.")
@click.option("--out", "out_dir", required=True, metavar="THƯ_MỤC", type=click.Path(file_okay=False, path_type=Path),
              help="Thư mục ghi tệp in.")
@click.option("--layout", "layout_path", metavar="TỆP.toml", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Bố cục in (bản sao đã chỉnh của bố cục có sẵn).")
@click.option("--calibrate", is_flag=True, help="Ghi thêm can_chinh.pdf (lưới milimét và các ô) để căn chỉnh máy in.")
@register_option
@campaign_option
def certificates(number: str, out_dir: Path, layout_path: Path | None, calibrate: bool, register_path: Path,
                 campaign_path: Path | None) -> None:
    """In Bằng khen của một quyết định trong sổ lên phôi (bang_khen.pdf) và danh sách ký nhận."""
    from .certificates import LayoutError, print_certificates

    campaign = _campaign(campaign_path)
    with _open_register(register_path, create=False) as book:
        try:   # numbers are given only if every file is written
            paths = _register_call(lambda: print_certificates(book, number, out_dir, layout_path=layout_path,
                                                              calibrate=calibrate, campaign=campaign))
        except LayoutError as exc:
            raise Stop(str(exc)) from None
    for path in paths:
        click.echo(f"Đã ghi {path}")
    click.echo("Khi in: chọn khổ giấy đúng với phôi và “Kích thước thực / Actual size / 100%”, không “Vừa trang”.")


# ---------------------------------------------------------------------- the conference of plan 203

@main.group(cls=_Group)
def conference() -> None:
    """Hội nghị tổng kết (Kế hoạch 203): giấy mời, đại biểu, chương trình, kịch bản, tham luận, giao ước, kinh phí."""


@conference.command(name="template")
@click.option("--out", "out_dir", required=True, metavar="THƯ_MỤC", type=click.Path(file_okay=False, path_type=Path),
              help="Thư mục ghi tệp hội nghị mẫu (hoi_nghi.toml) và danh sách đại biểu (dai_bieu.xlsx).")
@campaign_option
def conference_template(out_dir: Path, campaign_path: Path | None) -> None:
    """Ghi tệp hội nghị mẫu đã điền cho Kế hoạch 203 và mẫu danh sách đại biểu để Văn phòng điền."""
    from .conference import write_conference_template

    for path in write_conference_template(out_dir, _campaign(campaign_path)):
        click.echo(f"Đã ghi {path}")


@conference.command(name="build")
@click.option("--config", "config_path", required=True, metavar="hoi_nghi.toml",
              type=click.Path(dir_okay=False, exists=True, path_type=Path), help="Tệp hội nghị.")
@click.option("--delegates", "delegates_path", required=True, metavar="dai_bieu.xlsx",
              type=click.Path(dir_okay=False, exists=True, path_type=Path), help="Danh sách đại biểu đã điền.")
@click.option("--out", "out_dir", required=True, metavar="THƯ_MỤC", type=click.Path(file_okay=False, path_type=Path),
              help="Thư mục ghi các văn bản của hội nghị.")
@click.option("--run", "run_dirs", multiple=True, metavar="THƯ_MỤC_KẾT_QUẢ",
              type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Thư mục kết quả của lệnh run (có report.json), để lấy “Chủ đề tham luận” và người liên hệ "
                   "của các đơn vị; dùng nhiều lần được.")
@click.option("--templates", "templates_dir", metavar="THƯ_MỤC", type=click.Path(file_okay=False, path_type=Path),
              help="Thư mục chứa mẫu Word (*_tpl.docx) thay cho mẫu có sẵn.")
@register_option
@campaign_option
def conference_build(config_path: Path, delegates_path: Path, out_dir: Path, run_dirs: tuple[Path, ...],
                     templates_dir: Path | None, register_path: Path, campaign_path: Path | None) -> None:
    """Ghi mọi văn bản của hội nghị từ tệp hội nghị, danh sách đại biểu, các quyết định trong sổ khen thưởng."""
    from .conference import ConferenceError, build_conference, load_conference
    from .documents.word import WordTemplateError

    campaign = _campaign(campaign_path)
    try:
        config = load_conference(config_path, campaign)
    except ConferenceError as exc:
        raise Stop(str(exc)) from None
    decisions = []
    if register_path.is_file():
        with _open_register(register_path, create=False) as book:
            decisions = book.decisions(config.year)
    try:
        result = build_conference(config, delegates_path, out_dir, decisions=decisions, runs=run_dirs,
                                  templates_dir=templates_dir, campaign=campaign)
    except (ConferenceError, WordTemplateError) as exc:
        raise Stop(str(exc)) from None
    for problem in result.problems:
        place = f"{problem.sheet}!{problem.cell}" if problem.sheet and problem.cell else (problem.sheet or "")
        where = ", ".join(x for x in (problem.file, place) if x)
        click.echo(f"  {where + ': ' if where else ''}{problem.message}")
    click.echo(f"Đã ghi {len(result.paths)} tệp vào {out_dir} ({len(decisions)} quyết định năm {config.year}).")
    sys.exit(0 if result.valid else 1)

# ---------------------------------------------------------------------- mail with the units

@main.group(cls=_Group)
def mail() -> None:
    """Thư điện tử với các đơn vị: tải thư về hộp hồ sơ, soạn thư gửi mẫu và thư trả lời, gửi thư."""


def _day(text: str, option: str) -> dt.date:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise Stop(f"{option}: ngày “{text}” không hợp lệ; ghi dạng 01/12/2020 hoặc 2020-12-01.")


def _password(variable: str, server) -> str:
    """From the environment, else a hidden prompt; never an argument, never printed or stored."""
    value = os.environ.get(variable)
    if value:
        return value
    if not sys.stdin.isatty():
        raise Stop(f"Chưa có mật khẩu cho {server}: đặt biến môi trường {variable} (xem README, mục Thư điện tử).")
    return click.prompt(f"Mật khẩu ứng dụng cho {server}", hide_input=True, prompt_suffix=": ")


def _mail_call(action):
    from .mail.connection import MailError

    try:
        return action()
    except MailError as exc:
        raise Stop(str(exc)) from None


def _server(text: str, starttls: bool, plain: bool, tls_port: int, starttls_port: int):
    from .mail.connection import parse_server

    return _mail_call(lambda: parse_server(text, tls_port=tls_port, starttls_port=starttls_port,
                                           starttls=starttls, plain=plain))


starttls_option = click.option("--starttls", is_flag=True, help="Dùng STARTTLS (cổng thường) thay cho TLS ngay từ đầu.")
plain_option = click.option("--plain", is_flag=True,
                            help="Không mã hóa: chỉ cho máy chủ thử trên chính máy này (127.0.0.1).")


@mail.command(name="fetch")
@click.option("--imap", "host", required=True, metavar="MÁY_CHỦ[:CỔNG]",
              help="Máy chủ IMAP, ví dụ imap.gmail.com (TLS, cổng 993).")
@click.option("--user", required=True, metavar="ĐỊA_CHỈ", help="Địa chỉ hộp thư của Ban.")
@click.option("--out", "out_dir", required=True, metavar="HỘP_THƯ", type=click.Path(file_okay=False, path_type=Path),
              help="Thư mục hồ sơ nhận (như của lệnh run): mỗi thư có tệp đính kèm được lưu nguyên vẹn thành .eml.")
@click.option("--since", "since_text", metavar="NGÀY",
              help="Chỉ lấy thư từ ngày này (dd/mm/yyyy); mặc định: ngày ban hành kế hoạch của chiến dịch.")
@click.option("--folder", default="INBOX", show_default=True, metavar="THƯ_MỤC", help="Thư mục thư trên máy chủ.")
@click.option("--password-env", default="THIDUA_IMAP_PASSWORD", show_default=True, metavar="BIẾN",
              help="Biến môi trường chứa mật khẩu ứng dụng; không có thì chương trình hỏi.")
@starttls_option
@plain_option
@campaign_option
def mail_fetch(host: str, user: str, out_dir: Path, since_text: str | None, folder: str, password_env: str,
               starttls: bool, plain: bool, campaign_path: Path | None) -> None:
    """Tải các thư có tệp đính kèm về thư mục hồ sơ; chỉ đọc, không đánh dấu, không chuyển, không xóa thư nào."""
    from .mail.fetch import fetch

    campaign = _campaign(campaign_path)
    server = _server(host, starttls, plain, 993, 143)
    since = _day(since_text, "--since") if since_text else campaign.plan.date
    password = _password(password_env, server)
    if sys.stderr.isatty():
        with click.progressbar(length=1, label="Đang tải thư", file=sys.stderr) as bar:
            def progress(done: int, total: int) -> None:
                bar.length = total
                bar.update(done - bar.pos)
            report = _mail_call(lambda: fetch(server, user, password, out_dir, since, folder, campaign.tz, progress,
                                                  campaign))
    else:
        report = _mail_call(lambda: fetch(server, user, password, out_dir, since, folder, campaign.tz,
                                          campaign=campaign))
    for item in report.saved:
        click.echo(f"Đã lưu {out_dir / item.name}  ({item.sender}: {item.subject})")
    for item in report.skipped:
        click.echo(f"Bỏ qua thư của {item.sender or 'người gửi không rõ'} “{item.subject}”: {item.reason}"
                   + (f" ({item.name})" if item.name else "") + ".")
    click.echo(f"Thư từ ngày {since:%d/%m/%Y}: lưu mới {len(report.saved)}, bỏ qua {len(report.skipped)}.")


@mail.command(name="templates")
@click.option("--out", "out_dir", required=True, metavar="THƯ_MỤC", type=click.Path(file_okay=False, path_type=Path),
              help="Thư mục ghi thư nháp (.eml), mỗi đơn vị một thư.")
@campaign_option
def mail_templates(out_dir: Path, campaign_path: Path | None) -> None:
    """Soạn thư nháp gửi mẫu cho từng đơn vị (mẫu riêng của đơn vị đính kèm); không gửi."""
    from .mail.drafts import write_template_drafts

    _print_drafts(_mail_call(lambda: write_template_drafts(_campaign(campaign_path), out_dir)), out_dir)


@mail.command(name="replies")
@click.argument("run_dir", metavar="THƯ_MỤC_KẾT_QUẢ", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--out", "out_dir", required=True, metavar="THƯ_MỤC", type=click.Path(file_okay=False, path_type=Path),
              help="Thư mục ghi thư nháp trả lời (.eml).")
@campaign_option
def mail_replies(run_dir: Path, out_dir: Path, campaign_path: Path | None) -> None:
    """Soạn thư trả lời từng đơn vị đã gửi hồ sơ, trong đúng chuỗi thư của đơn vị, kèm thư phản hồi; không gửi."""
    from .mail.drafts import write_reply_drafts

    _print_drafts(_mail_call(lambda: write_reply_drafts(run_dir, _campaign(campaign_path), out_dir)), out_dir)


def _print_drafts(report, out_dir: Path) -> None:
    for path in report.written:
        click.echo(f"Đã ghi {path}")
    if report.no_address:
        click.echo("Chưa có địa chỉ người nhận (điền To trước khi gửi): " + ", ".join(report.no_address) + ".")
    click.echo(f"Đã soạn {len(report.written)} thư nháp trong {out_dir}; chưa gửi thư nào.")


@mail.command(name="send")
@click.argument("drafts_dir", metavar="THƯ_MỤC", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--smtp", "host", metavar="MÁY_CHỦ[:CỔNG]", help="Máy chủ SMTP, ví dụ smtp.gmail.com (TLS, cổng 465).")
@click.option("--user", metavar="ĐỊA_CHỈ", help="Địa chỉ hộp thư của Ban.")
@click.option("--password-env", default="THIDUA_SMTP_PASSWORD", show_default=True, metavar="BIẾN",
              help="Biến môi trường chứa mật khẩu ứng dụng; không có thì chương trình hỏi.")
@click.option("--dry-run", is_flag=True, help="Chỉ in thư nào sẽ gửi cho ai; không gửi gì.")
@starttls_option
@plain_option
def mail_send(drafts_dir: Path, host: str | None, user: str | None, password_env: str, dry_run: bool,
              starttls: bool, plain: bool) -> None:
    """Gửi các thư nháp trong thư mục, mỗi thư một lần; thư đã gửi chuyển vào da_gui/ kèm trả lời của máy chủ."""
    from .mail.send import send_drafts

    if not dry_run and not (host and user):
        raise Stop("Cần --smtp và --user để gửi (hoặc dùng --dry-run để xem trước).")
    server = _server(host, starttls, plain, 465, 587) if host else None
    report = _mail_call(lambda: send_drafts(drafts_dir, server, user or "",
                                            lambda: _password(password_env, server), dry_run=dry_run))
    for item in report.planned:
        click.echo(f"Sẽ gửi {item.path.name} tới {', '.join(item.recipients)}: “{item.subject}”")
    for item in report.sent:
        click.echo(f"Đã gửi {item.path.name} tới {', '.join(item.recipients)}: {item.answer}")
    for item in report.skipped:
        click.echo(f"Không gửi {item.path.name}: {item.answer}.")
    for item in report.failed:
        click.echo(f"Gửi không được {item.path.name}: {item.answer}.", err=True)
    verb = "sẽ gửi" if dry_run else "đã gửi"
    click.echo(f"{verb.capitalize()} {len(report.planned if dry_run else report.sent)}, "
               f"không gửi {len(report.skipped)}, lỗi {len(report.failed)}.")
    sys.exit(1 if report.failed else 0)


# ---------------------------------------------------------------------- the officer's page

@main.command()
@click.option("--inbox", "inbox", default="hop-thu", show_default=True, metavar="THƯ_MỤC",
              type=click.Path(file_okay=False, path_type=Path), help="Thư mục hồ sơ nhận (tạo nếu chưa có).")
@click.option("--out", "out_dir", default="output", show_default=True, metavar="THƯ_MỤC",
              type=click.Path(file_okay=False, path_type=Path), help="Thư mục kết quả (tạo nếu chưa có).")
@register_option
@click.option("--host", default="127.0.0.1", show_default=True, metavar="ĐỊA_CHỈ",
              help="Địa chỉ mở trang; khác 127.0.0.1 thì cần mật khẩu trong biến THIDUA_WEB_PASSWORD.")
@click.option("--port", default=8765, show_default=True, type=int, metavar="CỔNG", help="Cổng của trang.")
@click.option("--no-browser", is_flag=True, help="Không tự mở trình duyệt.")
@campaign_option
def serve(inbox: Path, out_dir: Path, register_path: Path | None, host: str, port: int, no_browser: bool,
          campaign_path: Path | None) -> None:
    """Mở trang làm việc trong trình duyệt: nhận hồ sơ, tổng hợp, thư, sổ khen thưởng, in Bằng khen, hội nghị."""
    from .web.server import ServeError, serve as serve_page, settings_for

    campaign = _campaign(campaign_path)
    if register_path is not None and register_path.exists():   # a damaged register stops before the page opens
        _open_register(register_path, create=False).close()
    try:
        settings = settings_for(inbox, out_dir, campaign, register_path, host, port)
        serve_page(settings, host, port, open_browser=not no_browser, echo=click.echo)
    except ServeError as exc:
        raise Stop(str(exc)) from None
    except KeyboardInterrupt:
        click.echo("Đã dừng trang.")


if __name__ == "__main__":  # pragma: no cover
    main()
