"""Generates a throw-away CA and certificates for the local stack's TLS endpoints.

Everything is valid for 127.0.0.1 and localhost only, lives in the stack's run folder and is
recreated on every `stack.py up`.
"""
from __future__ import annotations

import datetime
import ipaddress
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


def _key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _write_key(key, path: Path) -> None:
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    path.chmod(0o600)


def _write_cert(cert: x509.Certificate, path: Path) -> None:
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))


def make_ca(folder: Path, name: str = "taster test CA") -> tuple[Path, Path]:
    """Creates `<name>` CA as ca.crt/ca.key in folder; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    key = _key()
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder()
            .subject_name(subject).issuer_name(subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                         content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False,
                                         encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "ca.crt", folder / "ca.key"
    _write_cert(cert, cert_path)
    _write_key(key, key_path)
    return cert_path, key_path


def make_leaf(folder: Path, stem: str, ca_cert: Path, ca_key: Path, *, common_name: str,
              dns: list[str] = (), ips: list[str] = (), client: bool = False,
              organization: str | None = None) -> tuple[Path, Path]:
    """Issues a server (or, with client=True, client) certificate signed by the CA.

    Writes <stem>.crt, <stem>.key and <stem>.pem (certificate followed by key, as MongoDB's
    tlsCertificateKeyFile wants) and returns the .crt and .key paths.
    """
    ca = x509.load_pem_x509_certificate(ca_cert.read_bytes())
    signer = serialization.load_pem_private_key(ca_key.read_bytes(), password=None)
    key = _key()
    attributes = [x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if organization:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization))
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (x509.CertificateBuilder()
               .subject_name(x509.Name(attributes)).issuer_name(ca.subject)
               .public_key(key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(now - datetime.timedelta(minutes=5))
               .not_valid_after(now + datetime.timedelta(days=2))
               .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
               .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH if client
                                                     else ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(signer.public_key()), critical=False))
    names = [x509.DNSName(d) for d in dns] + [x509.IPAddress(ipaddress.ip_address(i)) for i in ips]
    if names:
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    cert = builder.sign(signer, hashes.SHA256())
    cert_path, key_path = folder / f"{stem}.crt", folder / f"{stem}.key"
    _write_cert(cert, cert_path)
    _write_key(key, key_path)
    (folder / f"{stem}.pem").write_bytes(cert_path.read_bytes() + key_path.read_bytes())
    (folder / f"{stem}.pem").chmod(0o600)
    return cert_path, key_path


def make_server(folder: Path, stem: str, ca_cert: Path, ca_key: Path,
                extra_dns: list[str] = ()) -> tuple[Path, Path]:
    """A server certificate for 127.0.0.1 and localhost (plus extra_dns)."""
    return make_leaf(folder, stem, ca_cert, ca_key, common_name="127.0.0.1",
                     dns=["localhost", *extra_dns], ips=["127.0.0.1"])


def main() -> None:
    """Command line for tests in other languages:

        tlsgen.py ca DIR                                   -> DIR/ca.crt, DIR/ca.key
        tlsgen.py server DIR STEM CA_CERT CA_KEY [--dns N]  -> DIR/STEM.{crt,key,pem} for 127.0.0.1
        tlsgen.py client DIR STEM CA_CERT CA_KEY --cn NAME [--org GROUP]
    """
    import argparse
    parser = argparse.ArgumentParser(prog="tlsgen.py", description=main.__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    ca = sub.add_parser("ca")
    ca.add_argument("dir", type=Path)
    for name in ("server", "client"):
        leaf = sub.add_parser(name)
        leaf.add_argument("dir", type=Path)
        leaf.add_argument("stem")
        leaf.add_argument("ca_cert", type=Path)
        leaf.add_argument("ca_key", type=Path)
        leaf.add_argument("--dns", action="append", default=[])
        leaf.add_argument("--cn", default="taster")
        leaf.add_argument("--org")
    args = parser.parse_args()
    if args.command == "ca":
        make_ca(args.dir)
    elif args.command == "server":
        args.dir.mkdir(parents=True, exist_ok=True)
        make_server(args.dir, args.stem, args.ca_cert, args.ca_key, extra_dns=args.dns)
    else:
        args.dir.mkdir(parents=True, exist_ok=True)
        make_leaf(args.dir, args.stem, args.ca_cert, args.ca_key, common_name=args.cn, client=True,
                  organization=args.org)


if __name__ == "__main__":
    main()
