{{/*
The mesh sidecars of a proxy pod, as components/render/mesh.ts renders them: the SDS sidecar
(global.glooMtls, Istio's certificates), the istio-proxy agent (global.istioIntegration.enabled
or global.istioSDS.enabled; istioSDS.customSidecars replaces it) and their volumes.
Takes (list constants spec values stats); returns JSON {proxyMounts, containers, volumes}.
*/}}
{{- define "gk.mesh" -}}
{{- $c := index . 0 -}}
{{- $m := $c.mesh -}}
{{- $spec := index . 1 -}}
{{- $values := index . 2 -}}
{{- $g := $values.global | default dict -}}
{{- $glooMtls := $g.glooMtls | default dict -}}
{{- $mtls := $glooMtls.enabled -}}
{{- $istio := or (($g.istioSDS | default dict).enabled) (($g.istioIntegration | default dict).enabled) -}}
{{- $globalImage := $g.image | default dict -}}
{{- $out := dict "proxyMounts" list "containers" list "volumes" list -}}
{{- $mtlsMount := dict "mountPath" "/etc/envoy/ssl" "name" "gloo-mtls-certs" "readOnly" true -}}
{{- $podEnv := list (dict "name" "POD_NAME" "valueFrom" (dict "fieldRef" (dict "fieldPath" "metadata.name"))) (dict "name" "POD_NAMESPACE" "valueFrom" (dict "fieldRef" (dict "fieldPath" "metadata.namespace"))) -}}
{{- if $mtls }}{{ $_ := set $out "proxyMounts" (list $mtlsMount) }}{{ end -}}
{{- if or $mtls $istio -}}
{{- $own := $glooMtls.sds | default dict -}}
{{- $sds := merge (deepCopy $own) (omit $m.defaults.sds "readinessProbe") -}}
{{- if not (hasKey $own "readinessProbe") }}{{ $_ := set $sds "readinessProbe" $m.defaults.sds.readinessProbe }}{{ end -}}
{{- $env := $podEnv -}}
{{- if $mtls }}{{ $env = append $env (dict "name" "GLOO_MTLS_SDS_ENABLED" "value" "true") }}{{ end -}}
{{- if $istio }}{{ $env = append $env (dict "name" "ISTIO_MTLS_SDS_ENABLED" "value" "true") }}{{ end -}}
{{- with $sds.logLevel }}{{ $env = append $env (dict "name" "LOG_LEVEL" "value" (toString .)) }}{{ end -}}
{{- $stats := (index . 3) | default dict -}}
{{- if $stats.enabled }}{{ $env = append $env (dict "name" "START_STATS_SERVER" "value" "true") }}{{ end -}}
{{- $mounts := list -}}
{{- if $mtls }}{{ $mounts = append $mounts $mtlsMount }}{{ end -}}
{{- if $istio }}{{ $mounts = concat $mounts (list (dict "mountPath" "/etc/istio-certs/" "name" "istio-certs") (dict "mountPath" "/etc/envoy" "name" "envoy-config")) }}{{ end -}}
{{- $img := include "gk.glooImage" (list $c (include "gk.imageWithDefaults" (list $m.defaults.sds.image $own.image) | fromJson) "global.glooMtls.sds.image" $globalImage) | fromJson -}}
{{- $ports := list (dict "containerPort" $m.sdsPort "name" "sds" "protocol" "TCP") -}}
{{- if and $stats.enabled $stats.podMonitorEnabled }}{{ $ports = append $ports (dict "name" "http-monitoring" "containerPort" $c.sdsMonitoringPort) }}{{ end -}}
{{- $container := dict "env" $env "image" $img.ref "imagePullPolicy" $img.pullPolicy "name" "sds" "ports" $ports "volumeMounts" $mounts -}}
{{- with $sds.readinessProbe }}{{ $_ := set $container "readinessProbe" . }}{{ end -}}
{{- with $glooMtls.sdsResources }}{{ $_ := set $container "resources" . }}{{ end -}}
{{- with include "gk.sidecarSecurityContext" (list $own.securityContext $g) | fromJson }}{{ $_ := set $container "securityContext" . }}{{ end -}}
{{- $_ := set $out "containers" (list $container) -}}
{{- end -}}
{{- if $istio -}}
{{- $custom := ($g.istioSDS | default dict).customSidecars -}}
{{- if $custom -}}
{{- $_ := set $out "containers" (concat $out.containers $custom) -}}
{{- else -}}
{{- $own := $glooMtls.istioProxy | default dict -}}
{{- $img := include "gk.glooImage" (list $c (include "gk.imageWithDefaults" (list $m.defaults.istioProxy.image $own.image) | fromJson) "global.glooMtls.istioProxy.image" $globalImage) | fromJson -}}
{{- $discovery := $spec.istioDiscoveryAddress | default $m.istioDiscoveryAddress -}}
{{- $fieldEnv := list (list "INSTANCE_IP" "status.podIP" "") (list "SERVICE_ACCOUNT" "spec.serviceAccountName" "") (list "HOST_IP" "status.hostIP" "") (list "ISTIO_META_POD_NAME" "metadata.name" "v1") (list "ISTIO_META_CONFIG_NAMESPACE" "metadata.namespace" "v1") -}}
{{- $env := list (dict "name" "OUTPUT_CERTS" "value" "/etc/istio-certs") (dict "name" "JWT_POLICY" "value" "third-party-jwt") (dict "name" "PILOT_CERT_PROVIDER" "value" "istiod") (dict "name" "CA_ADDR" "value" (toString ($spec.istioSpiffeCertProviderAddress | default $discovery))) (dict "name" "ISTIO_META_MESH_ID" "value" (toString ($spec.istioMetaMeshId | default "cluster.local"))) (dict "name" "ISTIO_META_CLUSTER_ID" "value" (toString ($spec.istioMetaClusterId | default "Kubernetes"))) (dict "name" "PROXY_CONFIG" "value" (printf "{\"discoveryAddress\": %v}\n" $discovery)) -}}
{{- $env = concat $env $podEnv -}}
{{- range $f := $fieldEnv -}}
{{- $ref := dict "fieldPath" (index $f 1) -}}
{{- with index $f 2 }}{{ $_ := set $ref "apiVersion" . }}{{ end -}}
{{- $env = append $env (dict "name" (index $f 0) "valueFrom" (dict "fieldRef" $ref)) -}}
{{- end -}}
{{- $env = append $env (dict "name" "DISABLE_ENVOY" "value" "true") -}}
{{- $args := concat $m.istioArgsBefore (list (printf "--proxyLogLevel=%v" ($own.logLevel | default $m.defaults.istioProxy.logLevel))) $m.istioArgsAfter -}}
{{- $container := dict "args" $args "env" $env "image" $img.ref "imagePullPolicy" $img.pullPolicy "name" "istio-proxy" "volumeMounts" $m.istioMounts -}}
{{- with $glooMtls.envoySidecarResources }}{{ $_ := set $container "resources" . }}{{ end -}}
{{- with include "gk.sidecarSecurityContext" (list $own.securityContext $g) | fromJson }}{{ $_ := set $container "securityContext" . }}{{ end -}}
{{- $_ := set $out "containers" (append $out.containers $container) -}}
{{- end -}}
{{- $_ := set $out "volumes" $m.istioVolumes -}}
{{- end -}}
{{- if $mtls }}{{ $_ := set $out "volumes" (append $out.volumes (dict "name" "gloo-mtls-certs" "secret" (dict "defaultMode" 420 "secretName" "gloo-mtls-certs"))) }}{{ end -}}
{{- toJson $out -}}
{{- end -}}

{{/* Gloo's container securityContext of a sidecar: (list own global); returns JSON ({} for none). */}}
{{- define "gk.sidecarSecurityContext" -}}
{{- $values := (kindIs "map" (index . 0)) | ternary (index . 0) dict -}}
{{- $g := index . 1 -}}
{{- $pss := (($g.podSecurityStandards | default dict).container) | default dict -}}
{{- $defaults := dict -}}
{{- if $pss.enableRestrictedContainerDefaults -}}
{{- $defaults = dict "allowPrivilegeEscalation" false "capabilities" (dict "drop" (list "ALL")) "runAsNonRoot" true "seccompProfile" (dict "type" ($pss.defaultSeccompProfileType | default "RuntimeDefault")) -}}
{{- end -}}
{{- $sc := dict -}}
{{- if eq (toString $values.mergePolicy) "helm-merge" }}{{ $sc = merge (deepCopy $values) $defaults }}
{{- else if $values }}{{ $sc = deepCopy $values }}
{{- else }}{{ $sc = deepCopy $defaults }}{{ end -}}
{{- if ($g.securitySettings | default dict).floatingUserId }}{{ $_ := unset $sc "runAsUser" }}{{ end -}}
{{- toJson (omit $sc "mergePolicy") -}}
{{- end -}}
