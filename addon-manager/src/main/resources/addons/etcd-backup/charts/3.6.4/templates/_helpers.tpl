{{- define "etcd-backup.labels" -}}
app.kubernetes.io/name: etcd-backup
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: backup
{{- end }}

{{/* Restricted beyond what the job needs: root only to read the etcd client key (0600 root). */}}
{{- define "etcd-backup.securityContext" -}}
runAsUser: 0
runAsGroup: 0
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: ["ALL"]
{{- end }}

{{/* Names the snapshot and applies the retention on the node. */}}
{{- define "etcd-backup.storeContainer" -}}
- name: store
  image: docker.io/library/busybox:1.37.0
  imagePullPolicy: IfNotPresent
  command: ["/bin/sh", "/scripts/store.sh"]
  env:
    - name: NODE_NAME
      valueFrom:
        fieldRef:
          fieldPath: spec.nodeName
    - name: BACKUP_DIR
      value: /snapshots
    - name: RETENTION
      value: {{ .Values.retention | quote }}
    - name: COMPRESS
      value: {{ .Values.compress | quote }}
  resources:
    {{- toYaml .Values.resources | nindent 4 }}
  securityContext:
    {{- include "etcd-backup.securityContext" . | nindent 4 }}
  volumeMounts:
    - name: snapshots
      mountPath: /snapshots
    - name: work
      mountPath: /work
    - name: scripts
      mountPath: /scripts
      readOnly: true
{{- end }}
