"""Throw-away TLS certificates for the test database servers, made with the openssl command in a server's folder:
a CA, a server certificate it signed for localhost and 127.0.0.1, a client certificate it signed, and a second CA
that signed nothing (for "the server's certificate is not trusted")."""
import os
import subprocess

from database_server import ServerError

DAYS = "2"


def _openssl(args, cwd):
    p = subprocess.run(["openssl"] + args, cwd=cwd, capture_output=True, text=True, timeout=60)
    if p.returncode != 0:
        raise ServerError(f"openssl {args[0]} exited {p.returncode}: {p.stderr[-1000:]}")


def _ca(folder, name, common_name):
    _openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}.key", "-out", f"{name}.pem",
              "-days", DAYS, "-subj", f"/CN={common_name}", "-addext", "basicConstraints=critical,CA:TRUE",
              "-addext", "keyUsage=critical,keyCertSign,cRLSign"], folder)


def _signed(folder, name, common_name, extensions):
    with open(os.path.join(folder, f"{name}.ext"), "w") as f:
        f.write(extensions + "\n")
    _openssl(["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}.key", "-out", f"{name}.csr",
              "-subj", f"/CN={common_name}"], folder)
    _openssl(["x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
              "-days", DAYS, "-extfile", f"{name}.ext", "-out", f"{name}.pem"], folder)


class Certificates:
    """Paths of the PEM files: ca_file, server_cert, server_key, client_cert, client_key, wrong_ca_file."""

    def __init__(self, folder, owner):
        """Writes the files into `folder`; the server's key goes to `owner` (uid, gid) with mode 0600, as
        PostgreSQL demands; the rest stays readable by the tests."""
        os.makedirs(folder, exist_ok=True)
        _ca(folder, "ca", "pipe test CA")
        _ca(folder, "wrong_ca", "pipe test CA nobody trusts")
        _signed(folder, "server", "localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                                               "extendedKeyUsage=serverAuth")
        _signed(folder, "client", "pipe", "extendedKeyUsage=clientAuth")
        path = lambda name: os.path.join(folder, name)  # noqa: E731
        self.ca_file, self.wrong_ca_file = path("ca.pem"), path("wrong_ca.pem")
        self.server_cert, self.server_key = path("server.pem"), path("server.key")
        self.client_cert, self.client_key = path("client.pem"), path("client.key")
        for name in ("ca.pem", "server.pem", "client.pem", "wrong_ca.pem"):
            os.chmod(path(name), 0o644)
        for key in (self.server_key, self.client_key):
            os.chmod(key, 0o600)
        if owner:
            os.chown(folder, *owner)
            os.chown(self.server_key, *owner)
