"""State between cycles: journaled links, atomic folding, torn journals and files that are not state."""

from __future__ import annotations

import json

import pytest

from scimmap.provision import Link, ProvisioningError, State, split_tenant_url


def test_links_survive_a_process_that_never_folded_its_journal(tmp_path) -> None:
    path = tmp_path / "state.json"
    state = State(path)
    state.put("User", "u1", Link("t1", "f1", {"id": "u1"}))
    state.put("Group", "g1", Link("t2", None, members=["t1"]))
    state.drop("User", "missing")
    # killed here: only the journal has the links, and its last line is torn
    with open(path.with_name("state.json.journal"), "a", encoding="utf-8") as journal:
        journal.write('{"op": "put", "key": "User/u2", "li')
    again = State(path)
    assert again.get("User", "u1") == Link("t1", "f1", {"id": "u1"})
    assert again.get("Group", "g1").members == ("t1",)
    assert again.get("User", "u2") is None
    assert not path.with_name("state.json.journal").exists()  # folded into the file on open
    assert json.loads(path.read_text())["links"]["User/u1"]["target_id"] == "t1"


def test_a_file_that_is_not_state_is_a_clear_error(tmp_path) -> None:
    path = tmp_path / "state.json"
    path.write_text("[]")
    with pytest.raises(ProvisioningError) as raised:
        State(path)
    assert raised.value.diagnostic.code == "invalid-state" and "delete it" in raised.value.diagnostic.hint
    path.write_text("{not json")
    with pytest.raises(ProvisioningError):
        State(path)


def test_the_tenant_urls_dialect_flag_is_read_and_not_sent_on() -> None:
    assert split_tenant_url("https://app.example.com/scim/v2/?aadOptscim062020") == (
        "https://app.example.com/scim/v2",
        ("aadOptscim062020",),
    )
    assert split_tenant_url("https://app/scim?tenant=7&AADOPTSCIM062020") == (
        "https://app/scim?tenant=7",
        ("aadOptscim062020",),
    )
    assert split_tenant_url("https://app/scim") == ("https://app/scim", ())


def test_other_query_parameters_of_the_tenant_url_go_with_every_request() -> None:
    import httpx

    from scimmap.provision import HttpTarget, Request

    seen: list[str] = []

    def app(environ, start_response):
        seen.append(environ["QUERY_STRING"])
        start_response("200 OK", [("Content-Type", "application/scim+json")])
        return [b'{"totalResults": 0, "Resources": []}']

    target = HttpTarget("http://app.test/scim?tenant=7", "t", transport=httpx.WSGITransport(app=app))
    target.send(Request("GET", "/Users", (("filter", 'userName eq "a"'),)))
    assert seen == ["tenant=7&filter=userName+eq+%22a%22"]


def test_tls_certificates_are_verified(tmp_path) -> None:
    """A loopback HTTPS service with a self-signed certificate is refused: the cycle cannot run."""
    import shutil
    import ssl
    import subprocess

    from scimmap.mapping.presets import preset
    from scimmap.provision import Cycle, HttpTarget
    from sync.scimserver import Loopback, Server

    if shutil.which("openssl") is None:  # the reason a skip must carry
        pytest.skip("needs the openssl command to make a self-signed certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = Server()
    loopback = Loopback(server, tls=context)
    try:
        target = HttpTarget(loopback.url, server.token, retries=0)
        result = Cycle(target, preset("idaas-user")).run([{"id": "u", "userPrincipalName": "a@b.c"}])
        assert result.exit_code == 2 and result.aborted.diagnostic.code == "target-unavailable"
        assert "CERTIFICATE_VERIFY_FAILED" in result.aborted.diagnostic.message
        assert server.log.entries == []
    finally:
        loopback.stop()
