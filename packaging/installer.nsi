; animaze-panel installer: a pynsist template (Jinja, with square-bracket markers, filled from
; pynsist's InstallerBuilder `ib`), written whole instead of extending pynsist's pyapp.nsi because
; pyapp.nsi hard-codes MultiUser with "Highest" execution level, which asks admins to elevate.
;
; What it does:
; - per-user install, never asks for admin rights: RequestExecutionLevel user,
;   %LOCALAPPDATA%\Programs\animaze-panel, registry under HKCU only;
; - Start-menu shortcut, optional desktop shortcut (components page; /NODESKTOP when silent),
;   both with the app icon; bin\animaze-panel.exe on the user's PATH for the command line;
; - upgrade in place: the previous install folder is found in the registry, the program folders
;   (Python, pkgs, bin) are deleted first so no file of an older version lingers, after making
;   sure the app is not running;
; - the uninstaller deletes only what the installer put in $INSTDIR, the shortcuts, the PATH entry
;   and the uninstall key. The user's settings live elsewhere (platformdirs: %LOCALAPPDATA%\
;   animaze-panel\animaze-panel, secrets in Windows Credential Manager) and are never touched;
;   note that $INSTDIR is deliberately under Programs\, so even a stray RMDir /r of it could not
;   reach them.
;
; Silent use:  animaze-panel-X.Y.Z-setup.exe /S [/NODESKTOP] [/D=C:\some\folder]
;              "%LOCALAPPDATA%\Programs\animaze-panel\uninstall.exe" /S

!define PRODUCT_NAME "[[ib.appname]]"
!define PRODUCT_VERSION "[[ib.version]]"
!define PY_VERSION "[[ib.py_version]]"
!define INSTALLER_NAME "[[ib.installer_name]]"
!define PRODUCT_ICON "[[icon]]"
!define DIST_NAME "animaze-panel"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${DIST_NAME}"
; The interpreter DLL: present in every version we ship, locked by Windows while the app runs.
!define LOCK_PROBE "$INSTDIR\Python\python[[ ib.py_version.split('.')[:2] | join('') ]].dll"

Unicode true
ManifestDPIAware true
SetCompressor /SOLID lzma
RequestExecutionLevel user

!include "MUI2.nsh"
!include "FileFunc.nsh"
!include "LogicLib.nsh"
!include "Sections.nsh"

Name "${PRODUCT_NAME} ${PRODUCT_VERSION}"
OutFile "${INSTALLER_NAME}"
InstallDir "$LOCALAPPDATA\Programs\${DIST_NAME}"
; An upgrade goes where the previous version is.
InstallDirRegKey HKCU "${UNINSTALL_KEY}" "InstallLocation"
ShowInstDetails show
ShowUninstDetails show
BrandingText "${PRODUCT_NAME} ${PRODUCT_VERSION}"

; Four numbers; "1.2.0rc1" gives 1.2.0.0 (Jinja's int filter turns "0rc1" into 0).
VIProductVersion "[% for p in (ib.version.split('+')[0].split('.') + ['0', '0', '0'])[:4] %][[ p | int ]][% if not loop.last %].[% endif %][% endfor %]"
VIAddVersionKey "ProductName" "${PRODUCT_NAME}"
VIAddVersionKey "ProductVersion" "${PRODUCT_VERSION}"
VIAddVersionKey "FileVersion" "${PRODUCT_VERSION}"
VIAddVersionKey "FileDescription" "${PRODUCT_NAME} installer"
[% if ib.publisher is not none %]
VIAddVersionKey "CompanyName" "[[ib.publisher]]"
[% endif %]
VIAddVersionKey "LegalCopyright" "MIT licence"

!define MUI_ABORTWARNING
!define MUI_ICON "[[icon]]"
!define MUI_UNICON "[[icon]]"
!define MUI_COMPONENTSPAGE_NODESC
!define MUI_FINISHPAGE_RUN
!define MUI_FINISHPAGE_RUN_TEXT "Start ${PRODUCT_NAME}"
!define MUI_FINISHPAGE_RUN_FUNCTION LaunchApp

!insertmacro MUI_PAGE_WELCOME
[% if license_file %]
!insertmacro MUI_PAGE_LICENSE "[[license_file]]"
[% endif %]
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

; Wait until the app is closed: Windows keeps the DLLs of a running program locked, and opening
; one for writing fails while it runs. Interactive: ask to close it and retry. Silent: give up.
!macro WAIT_UNTIL_CLOSED UN
Function ${UN}WaitUntilClosed
  retry:
    IfFileExists "${LOCK_PROBE}" 0 done
    ClearErrors
    FileOpen $0 "${LOCK_PROBE}" a
    IfErrors locked
    FileClose $0
    Goto done
  locked:
    MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION \
      "${PRODUCT_NAME} is running. Close it, then press Retry." /SD IDCANCEL IDRETRY retry
    Abort "${PRODUCT_NAME} is running; close it and try again."
  done:
FunctionEnd
!macroend
!insertmacro WAIT_UNTIL_CLOSED ""
!insertmacro WAIT_UNTIL_CLOSED "un."

Section "!${PRODUCT_NAME}" sec_app
  SectionIn RO
  SetShellVarContext current
  SetOutPath "$INSTDIR"

  ; Upgrade in place: remove the previous version's program files (never settings: those are
  ; not in $INSTDIR). Shortcuts and the registry entry are simply rewritten below.
  ${If} ${FileExists} "$INSTDIR\Python\*.*"
    DetailPrint "Removing the previous version's program files..."
    Call WaitUntilClosed
    RMDir /r "$INSTDIR\pkgs"
    RMDir /r "$INSTDIR\Python"
    RMDir /r "$INSTDIR\bin"
  ${EndIf}

  SetOutPath "$INSTDIR\pkgs"
  File /r "pkgs\*.*"
  SetOutPath "$INSTDIR"

  ; Files (launch scripts, icon, ...)
  [% for destination, group in grouped_files %]
  SetOutPath "[[destination]]"
  [% for file in group %]
  File "[[ file ]]"
  [% endfor %]
  [% endfor %]

  ; Directories (Python runtime, bin launchers)
  [% for dir, destination in ib.install_dirs %]
  SetOutPath "[[ pjoin(destination, dir) ]]"
  File /r "[[dir]]\*.*"
  [% endfor %]

  ; Start-menu shortcut. The output path becomes the shortcut's working directory.
  SetOutPath "$PROFILE"
  [% for scname, sc in ib.shortcuts.items() %]
  CreateShortCut "$SMPROGRAMS\[[scname]].lnk" "[[sc['target'] ]]" \
    '[[ sc['parameters'] ]]' "$INSTDIR\[[ sc['icon'] ]]"
  [% endfor %]
  SetOutPath "$INSTDIR"

  [% if has_commands %]
  DetailPrint "Adding $INSTDIR\bin to your PATH..."
  nsExec::ExecToLog '[[ python ]] -Es "$INSTDIR\_system_path.py" add_user "$INSTDIR\bin"'
  Pop $0
  [% endif %]

  DetailPrint "Byte-compiling Python modules..."
  nsExec::ExecToLog '[[ python ]] -m compileall -q "$INSTDIR\pkgs"'
  Pop $0

  WriteUninstaller "$INSTDIR\uninstall.exe"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${PRODUCT_NAME}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${PRODUCT_VERSION}"
  [% if ib.publisher is not none %]
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "[[ib.publisher]]"
  [% endif %]
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${PRODUCT_ICON}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" "$0"
SectionEnd

Section "Desktop shortcut" sec_desktop
  SetShellVarContext current
  SetOutPath "$PROFILE"
  [% for scname, sc in ib.shortcuts.items() %]
  CreateShortCut "$DESKTOP\[[scname]].lnk" "[[sc['target'] ]]" \
    '[[ sc['parameters'] ]]' "$INSTDIR\[[ sc['icon'] ]]"
  [% endfor %]
  SetOutPath "$INSTDIR"
SectionEnd

Section "Uninstall"
  SetShellVarContext current
  Call un.WaitUntilClosed

  [% if has_commands %]
  nsExec::ExecToLog '[[ python ]] -Es "$INSTDIR\_system_path.py" remove "$INSTDIR\bin"'
  Pop $0
  [% endif %]

  RMDir /r "$INSTDIR\pkgs"
  [% for file, destination in ib.install_files %]
  Delete "[[pjoin(destination, file)]]"
  [% endfor %]
  [% for dir, destination in ib.install_dirs %]
  RMDir /r "[[pjoin(destination, dir)]]"
  [% endfor %]
  Delete "$INSTDIR\${PRODUCT_ICON}"
  Delete "$INSTDIR\uninstall.exe"
  ; Not /r: removes the folder only if nothing else (e.g. a file the user put there) is left.
  RMDir "$INSTDIR"

  [% for scname in ib.shortcuts %]
  Delete "$SMPROGRAMS\[[scname]].lnk"
  Delete "$DESKTOP\[[scname]].lnk"
  [% endfor %]

  DeleteRegKey HKCU "${UNINSTALL_KEY}"
SectionEnd

Function .onInit
  SetShellVarContext current
  ; Silent installs can skip the desktop shortcut with /NODESKTOP.
  ${GetParameters} $0
  ClearErrors
  ${GetOptions} $0 "/NODESKTOP" $1
  ${IfNot} ${Errors}
    !insertmacro UnselectSection ${sec_desktop}
  ${EndIf}
FunctionEnd

Function un.onInit
  SetShellVarContext current
FunctionEnd

Function LaunchApp
  SetOutPath "$PROFILE"
  [% for scname, sc in ib.shortcuts.items() %]
  Exec '"[[sc['target'] ]]" [[ sc['parameters'] ]]'
  [% endfor %]
FunctionEnd
