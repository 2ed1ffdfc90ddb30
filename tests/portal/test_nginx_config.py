"""deploy/nginx/portal.conf: its rate limits cover the portal's real login, second-factor and inquiry
URLs, and (where nginx is installed) nginx itself accepts the file."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

CONFIG = Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "portal.conf"


def parse(text: str) -> list:
    """nginx's syntax as nested lists: a directive is (name, [args], children or None)."""
    tokens = re.findall(r'"[^"]*"|[{};]|[^\s{};"]+', re.sub(r"#[^\n]*", "", text))
    position = 0

    def block():
        nonlocal position
        directives, words = [], []
        while position < len(tokens):
            token = tokens[position]
            position += 1
            if token == ";":
                directives.append((words[0], words[1:], None))
                words = []
            elif token == "{":
                directives.append((words[0], words[1:], block()))
                words = []
            elif token == "}":
                return directives
            else:
                words.append(token.strip('"'))
        return directives

    return block()


@pytest.fixture(scope="module")
def config():
    return parse(CONFIG.read_text())


def https_server(config):
    servers = [children for name, _args, children in config if name == "server"]
    return next(s for s in servers if any(name == "listen" and "443" in args for name, args, _c in s))


def location(server, *match):
    found = [children for name, args, children in server if name == "location" and tuple(args) == match]
    assert found, f"no location {' '.join(match)}"
    return found[0]


def zones_of(block) -> list[str]:
    return [arg.removeprefix("zone=") for name, args, _c in block if name == "limit_req" for arg in args[:1]]


def test_every_rate_limit_zone_is_defined_counted_per_address_for_posts_only_and_used(config):
    zones = {
        args[1].removeprefix("zone=").split(":")[0]: args[0] for name, args, _c in config if name == "limit_req_zone"
    }
    assert zones == {"portal_staff_login": "$portal_post_client", "portal_inquiry": "$portal_post_client"}
    used = {zone for _name, _args, block in https_server(config) if block for zone in zones_of(block)}
    assert used == set(zones)
    post_map = next(
        children
        for name, args, children in config
        if name == "map" and args == ["$request_method", "$portal_post_client"]
    )
    assert ("POST", ["$binary_remote_addr"], None) in post_map
    assert ("default", [""], None) in post_map  # an empty key is not counted: GETs pass
    assert ("limit_req_status", ["429"], None) in config


@pytest.mark.parametrize(
    ("url_name", "match", "zone"),
    [
        ("admin:login", ("=", "/admin/login/"), "portal_staff_login"),
        ("staff:second_factor_verify", ("^~", "/admin/account/"), "portal_staff_login"),
        ("staff:second_factor_enrol", ("^~", "/admin/account/"), "portal_staff_login"),
        ("staff:passkey_authenticate_begin", ("^~", "/admin/account/"), "portal_staff_login"),
        ("staff:passkey_authenticate_complete", ("^~", "/admin/account/"), "portal_staff_login"),
        ("inquiries:form", ("^~", "/inquiry/"), "portal_inquiry"),
        ("inquiries:follow_up_request", ("^~", "/inquiry/"), "portal_inquiry"),
    ],
)
def test_the_portals_login_second_factor_and_inquiry_posts_are_rate_limited(config, url_name, match, zone):
    url = reverse(url_name)
    assert url == match[1] if match[0] == "=" else url.startswith(match[1])
    block = location(https_server(config), *match)
    assert zones_of(block) == [zone]
    assert ("proxy_pass", ["http://portal_web"], None) in block


def test_nginx_accepts_the_file(tmp_path):
    nginx, openssl = shutil.which("nginx") or "/usr/sbin/nginx", shutil.which("openssl")
    if not (Path(nginx).exists() and openssl):
        pytest.skip("nginx (apt-get install nginx-light) and openssl are needed to check the file with nginx -t")
    key, certificate = str(tmp_path / "key.pem"), str(tmp_path / "cert.pem")
    command = [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
    command += ["-days", "1", "-subj", "/CN=portal.example.org", "-keyout", key, "-out", certificate]
    subprocess.run(command, check=True, capture_output=True)
    text = CONFIG.read_text()
    text = re.sub(r"ssl_certificate\s+\S+;", f"ssl_certificate {tmp_path / 'cert.pem'};", text)
    text = re.sub(r"ssl_certificate_key\s+\S+;", f"ssl_certificate_key {tmp_path / 'key.pem'};", text)
    text = text.replace("/var/log/nginx/", f"{tmp_path}/")
    (tmp_path / "portal.conf").write_text(text)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n  access_log off;\n  include {tmp_path}/portal.conf;\n}}\n"
    )
    result = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
