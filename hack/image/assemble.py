#!/usr/bin/env python3
"""Assembles and checks the operator image tarball without a container engine.

  assemble.py build --base DIR --app DIR --out FILE --ref NAME:TAG [--label K=V ...] [--env K=V ...]
                    [--epoch SECONDS]
  assemble.py verify FILE [--ref NAME:TAG]
  assemble.py runspec FILE      (bash assignments: layers, user, workdir, env, entrypoint)

The tarball holds both layouts that `docker save` (Docker 25+) writes, so every loader finds
what it reads:
  * docker-archive: manifest.json (Config, RepoTags, Layers) -> `docker load`, `podman load`,
    `kind load image-archive`, `skopeo ... docker-archive:FILE`
  * OCI image layout: oci-layout + index.json -> `ctr images import`, `skopeo ... oci-archive:FILE`
Both point at the same blobs/sha256/<digest> files. Layers are uncompressed tars, so a layer's
digest is also its diff_id.

Layers, least-changing first: the base (Debian + JRE, built by base.sh), then the Quarkus
fast-jar as /deployments: lib/ (dependencies), quarkus-run.jar + quarkus/ (generated), app/ (the
operator's own classes). Every entry of the app layers has mtime --epoch, owner 0:0, mode 0644
(0755 for directories and executables), and a fixed order, so an unchanged lib/ gives a
byte-identical layer and registries and runtimes reuse it.
"""
import argparse
import datetime
import hashlib
import io
import json
import os
import shutil
import sys
import tarfile
import tempfile

MT_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
MT_INDEX = "application/vnd.oci.image.index.v1+json"
MT_CONFIG = "application/vnd.oci.image.config.v1+json"
MT_LAYER = "application/vnd.oci.image.layer.v1.tar"
APP_ROOT = "deployments"


def canonical(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read_env(path):
    env = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#") and "=" in line:
                k, v = line.split("=", 1)
                env[k] = v
    return env


def split_ref(ref):
    name, sep, tag = ref.rpartition(":")
    if not sep or "/" in tag:
        return ref, "latest"
    return name, tag


def full_name(name):
    """docker.io/library-style fully qualified name, as containerd stores it."""
    first = name.split("/", 1)[0]
    if "/" in name and ("." in first or ":" in first or first == "localhost"):
        return name
    return "docker.io/" + (name if "/" in name else "library/" + name)


class LayerWriter:
    """A deterministic tar of files placed under /deployments."""

    def __init__(self, path, epoch):
        self.epoch = epoch
        self.tar = tarfile.open(path, "w", format=tarfile.PAX_FORMAT)
        self.dirs = set()

    def _info(self, name, kind, mode, size=0):
        ti = tarfile.TarInfo(name)
        ti.type = kind
        ti.mode = mode
        ti.size = size
        ti.mtime = self.epoch
        ti.uid = ti.gid = 0
        ti.uname = ti.gname = ""
        return ti

    def add_dir(self, name):
        name = name.rstrip("/")
        if name in self.dirs:
            return
        parent = os.path.dirname(name)
        if parent:
            self.add_dir(parent)
        self.tar.addfile(self._info(name + "/", tarfile.DIRTYPE, 0o755))
        self.dirs.add(name)

    def add_file(self, src, name):
        self.add_dir(os.path.dirname(name))
        st = os.stat(src)
        mode = 0o755 if st.st_mode & 0o111 else 0o644
        with open(src, "rb") as f:
            self.tar.addfile(self._info(name, tarfile.REGTYPE, mode, st.st_size), f)

    def add_tree(self, src, name):
        if os.path.isfile(src):
            self.add_file(src, name)
            return
        self.add_dir(name)
        for entry in sorted(os.listdir(src)):
            self.add_tree(os.path.join(src, entry), name + "/" + entry)

    def close(self):
        self.tar.close()


def app_layers(app_dir):
    """(comment, [entries of app_dir]) from least to most often changing."""
    entries = sorted(os.listdir(app_dir))
    deps = [e for e in entries if e in ("lib", "quarkus-app-dependencies.txt")]
    own = [e for e in entries if e == "app"]
    generated = [e for e in entries if e not in deps and e not in own]
    if "lib" not in deps or "quarkus-run.jar" not in generated or not own:
        sys.exit(f"assemble: {app_dir} is not a Quarkus fast-jar (lib/, app/, quarkus-run.jar)")
    return [
        ("dependencies: /deployments/lib", deps),
        ("quarkus: /deployments/quarkus-run.jar, /deployments/quarkus", generated),
        ("application: /deployments/app", own),
    ]


def build(args):
    base = read_env(os.path.join(args.base, "base.env"))
    base_layer = os.path.join(args.base, "layer.tar")
    with open(os.path.join(args.base, "layer.sha256")) as f:
        base_digest = f.read().strip()
    name, tag = split_ref(args.ref)
    created = datetime.datetime.fromtimestamp(args.epoch, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

    work = tempfile.mkdtemp(prefix="image-", dir=os.path.dirname(os.path.abspath(args.out)))
    try:
        # (path on disk, digest hex, size, history comment)
        layers = [(base_layer, base_digest, os.path.getsize(base_layer),
                   f"debootstrap --variant=minbase {base.get('BASE_SUITE', '')} + "
                   f"{base.get('BASE_PACKAGES', '')}; user {base.get('BASE_UID', '')}")]
        for i, (comment, entries) in enumerate(app_layers(args.app)):
            path = os.path.join(work, f"layer{i}.tar")
            lw = LayerWriter(path, args.epoch)
            lw.add_dir(APP_ROOT)
            for e in entries:
                lw.add_tree(os.path.join(args.app, e), APP_ROOT + "/" + e)
            lw.close()
            layers.append((path, sha256_file(path), os.path.getsize(path), comment))

        java_home = base.get("JAVA_HOME", "/usr/lib/jvm/java-17-openjdk-amd64")
        env = [
            "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            f"JAVA_HOME={java_home}",
            "LANG=C.UTF-8",
        ] + list(args.env)
        labels = dict(kv.split("=", 1) for kv in args.label)
        labels.setdefault("org.opencontainers.image.created", created)
        labels.setdefault("org.opencontainers.image.version", tag)
        labels.setdefault("org.opencontainers.image.base.name",
                          f"debian:{base.get('BASE_SUITE', '')} (debootstrap minbase, "
                          f"Debian {base.get('DEBIAN_VERSION', '')}, Java {base.get('JAVA_VERSION', '')})")
        config = {
            "architecture": args.arch,
            "os": "linux",
            "created": created,
            "config": {
                "User": str(base.get("BASE_UID", "185")),
                "Env": env,
                "Entrypoint": args.entrypoint,
                "WorkingDir": "/" + APP_ROOT,
                "ExposedPorts": {"8080/tcp": {}},
                "Labels": labels,
                "StopSignal": "SIGTERM",
            },
            "rootfs": {"type": "layers", "diff_ids": ["sha256:" + d for _, d, _, _ in layers]},
            "history": [{"created": created, "created_by": c} for _, _, _, c in layers],
        }
        config_bytes = canonical(config)
        config_digest = hashlib.sha256(config_bytes).hexdigest()
        manifest = {
            "schemaVersion": 2,
            "mediaType": MT_MANIFEST,
            "config": {"mediaType": MT_CONFIG, "digest": "sha256:" + config_digest, "size": len(config_bytes)},
            "layers": [{"mediaType": MT_LAYER, "digest": "sha256:" + d, "size": s} for _, d, s, _ in layers],
            "annotations": {"org.opencontainers.image.created": created},
        }
        manifest_bytes = canonical(manifest)
        manifest_digest = hashlib.sha256(manifest_bytes).hexdigest()
        index = {
            "schemaVersion": 2,
            "mediaType": MT_INDEX,
            "manifests": [{
                "mediaType": MT_MANIFEST,
                "digest": "sha256:" + manifest_digest,
                "size": len(manifest_bytes),
                "platform": {"architecture": args.arch, "os": "linux"},
                "annotations": {
                    "io.containerd.image.name": full_name(name) + ":" + tag,
                    "org.opencontainers.image.ref.name": tag,
                },
            }],
        }
        docker_manifest = [{
            "Config": "blobs/sha256/" + config_digest,
            "RepoTags": [f"{name}:{tag}"],
            "Layers": ["blobs/sha256/" + d for _, d, _, _ in layers],
        }]

        tmp_out = args.out + ".tmp"
        with tarfile.open(tmp_out, "w", format=tarfile.PAX_FORMAT) as out:
            def add_bytes(arcname, data):
                ti = tarfile.TarInfo(arcname)
                ti.size, ti.mtime, ti.mode = len(data), args.epoch, 0o644
                out.addfile(ti, io.BytesIO(data))

            for d in ("blobs", "blobs/sha256"):
                ti = tarfile.TarInfo(d + "/")
                ti.type, ti.mtime, ti.mode = tarfile.DIRTYPE, args.epoch, 0o755
                out.addfile(ti)
            for path, digest, size, _ in layers:
                ti = tarfile.TarInfo("blobs/sha256/" + digest)
                ti.size, ti.mtime, ti.mode = size, args.epoch, 0o644
                with open(path, "rb") as f:
                    out.addfile(ti, f)
            add_bytes("blobs/sha256/" + config_digest, config_bytes)
            add_bytes("blobs/sha256/" + manifest_digest, manifest_bytes)
            add_bytes("oci-layout", canonical({"imageLayoutVersion": "1.0.0"}))
            add_bytes("index.json", canonical(index))
            add_bytes("manifest.json", canonical(docker_manifest))
        os.replace(tmp_out, args.out)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"image id sha256:{config_digest}")
    print(f"manifest digest sha256:{manifest_digest}")


def verify(args):
    """Every digest, size and cross-reference in the tarball, recomputed from its bytes."""
    problems = []
    with tarfile.open(args.file) as t:
        members = {m.name.lstrip("./"): m for m in t.getmembers()}

        def read(name):
            if name not in members:
                sys.exit(f"verify: {name} missing from {args.file}")
            return t.extractfile(members[name]).read()

        def digest_of(name):
            h = hashlib.sha256()
            f = t.extractfile(members[name])
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
            return h.hexdigest()

        dm = json.loads(read("manifest.json"))
        index = json.loads(read("index.json"))
        if json.loads(read("oci-layout")).get("imageLayoutVersion") != "1.0.0":
            problems.append("oci-layout: imageLayoutVersion is not 1.0.0")
        if len(dm) != 1 or len(index["manifests"]) != 1:
            problems.append("expected exactly one image")
        entry = dm[0]
        config_name = entry["Config"]
        config_bytes = read(config_name)
        config = json.loads(config_bytes)
        if hashlib.sha256(config_bytes).hexdigest() != config_name.rsplit("/", 1)[1]:
            problems.append("config blob digest mismatch")
        desc = index["manifests"][0]
        manifest_name = "blobs/sha256/" + desc["digest"].split(":", 1)[1]
        manifest_bytes = read(manifest_name)
        if hashlib.sha256(manifest_bytes).hexdigest() != desc["digest"].split(":", 1)[1] or \
                len(manifest_bytes) != desc["size"]:
            problems.append("OCI manifest digest/size mismatch")
        manifest = json.loads(manifest_bytes)
        if manifest["config"]["digest"] != "sha256:" + config_name.rsplit("/", 1)[1] or \
                manifest["config"]["size"] != len(config_bytes):
            problems.append("OCI manifest does not point at the docker-archive config")
        diff_ids = config["rootfs"]["diff_ids"]
        if len(diff_ids) != len(entry["Layers"]) or len(diff_ids) != len(manifest["layers"]):
            problems.append("layer counts differ between config, manifest.json and the OCI manifest")
        sizes = []
        for layer_name, diff_id, desc_l in zip(entry["Layers"], diff_ids, manifest["layers"]):
            actual = digest_of(layer_name)
            size = members[layer_name].size
            sizes.append(size)
            if "sha256:" + actual != diff_id or desc_l["digest"] != diff_id or desc_l["size"] != size:
                problems.append(f"layer {layer_name}: digest/size mismatch")
        if len(config.get("history", [])) != len(diff_ids):
            problems.append("history entries do not match the layers")
        if args.ref and args.ref not in entry["RepoTags"]:
            problems.append(f"RepoTags {entry['RepoTags']} lacks {args.ref}")
        c = config["config"]
        if c.get("User") in (None, "", "0", "root"):
            problems.append("image runs as root")
    for p in problems:
        print("verify: " + p, file=sys.stderr)
    if problems:
        sys.exit(1)
    total = os.path.getsize(args.file)
    print(f"verified {args.file}: {len(diff_ids)} layers, {total / 1e6:.1f} MB, "
          f"tags {entry['RepoTags']}, id {config_name.rsplit('/', 1)[1][:12]}")
    for (name, size), h in zip(zip(entry["Layers"], sizes), config["history"]):
        print(f"  {name.rsplit('/', 1)[1][:12]}  {size / 1e6:8.1f} MB  {h['created_by']}")
    print(f"  user {c.get('User')}, workdir {c.get('WorkingDir')}, entrypoint {' '.join(c.get('Entrypoint', []))}")


def runspec(args):
    """Bash array assignments (for eval) that describe how to run the image: layers in order,
    user, working dir, environment and entrypoint, as the image's own config says."""
    import shlex
    with tarfile.open(args.file) as t:
        entry = json.loads(t.extractfile("manifest.json").read())[0]
        c = json.loads(t.extractfile(entry["Config"]).read())["config"]
    arr = lambda xs: "(" + " ".join(shlex.quote(x) for x in xs) + ")"
    print("IMG_LAYERS=" + arr(entry["Layers"]))
    print("IMG_USER=" + shlex.quote(c.get("User", "0")))
    print("IMG_WORKDIR=" + shlex.quote(c.get("WorkingDir", "/")))
    print("IMG_ENV=" + arr(c.get("Env", [])))
    print("IMG_ENTRYPOINT=" + arr(c.get("Entrypoint", []) + (c.get("Cmd") or [])))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build")
    b.add_argument("--base", required=True, help="dir with layer.tar, layer.sha256, base.env (base.sh)")
    b.add_argument("--app", required=True, help="target/quarkus-app")
    b.add_argument("--out", required=True)
    b.add_argument("--ref", required=True, help="NAME:TAG")
    b.add_argument("--epoch", type=int, default=0, help="timestamp of every entry (SOURCE_DATE_EPOCH)")
    b.add_argument("--arch", default="amd64")
    b.add_argument("--label", action="append", default=[])
    b.add_argument("--env", action="append", default=[])
    b.add_argument("--entrypoint", type=json.loads, required=True, help="JSON array")
    v = sub.add_parser("verify")
    v.add_argument("file")
    v.add_argument("--ref")
    r = sub.add_parser("runspec")
    r.add_argument("file")
    args = p.parse_args()
    {"build": build, "verify": verify, "runspec": runspec}[args.cmd](args)


if __name__ == "__main__":
    main()
