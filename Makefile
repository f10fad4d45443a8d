# smeflow-secrets-operator — the commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
MVN ?= mvn -B
TOOLS_DIR ?= $(HOME)/.cache/smeflow-tools
export SMEFLOW_TOOLS_DIR := $(TOOLS_DIR)
export BAO_BIN := $(TOOLS_DIR)/bin/bao

.PHONY: help build test e2e run deploy undeploy crds image tools tools-bao bench fmt clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

build: ## Compile, check formatting, build the runnable jar (no tests)
	$(MVN) package -DskipTests

test: tools-bao ## Unit and component tests: real OpenBao, Fabric8 mock API server (~10 min)
	$(MVN) verify

e2e: tools ## Real kube-apiserver + etcd + OpenBao tier (RBAC, schema, SSA, Kubernetes auth, HA)
	hack/e2e.sh

run: tools-bao ## Run the operator: current kube context, or a local sandbox when there is none
	hack/run.sh

deploy: ## Install CRDs and the operator into the current kube context
	kubectl apply -f deploy/crds/
	kubectl apply -f deploy/operator.yaml

undeploy: ## Remove the operator (CRDs stay: deleting them would delete every TenantSecret)
	kubectl delete --ignore-not-found -f deploy/operator.yaml

crds: ## Regenerate deploy/crds from the model
	$(MVN) test -Dtest=CrdsUpToDateTest -Dcrds.update=true -Dsurefire.failIfNoSpecifiedTests=false

image: ## Container image as a tarball in target/ (no Docker engine needed)
	hack/image.sh

tools: ## Build or fetch bao, kube-apiserver, etcd, kubectl into $(TOOLS_DIR)
	hack/tools.sh

tools-bao:
	hack/tools.sh --bao

bench: tools-bao ## Measure sync throughput, reconcile latency and memory; prints figures
	$(MVN) test -Dtest=SyncBenchmark -Dbench=true -Dsurefire.failIfNoSpecifiedTests=false -Dspotless.check.skip=true

fmt: ## Format the Java sources (google-java-format, AOSP style)
	$(MVN) spotless:apply

clean:
	$(MVN) clean
