function Write-VmmRegistryKey {
    <#
    .SYNOPSIS
        Creates a registry key if needed and sets the given values on it: the one place the module writes the
        registry. Values already on the key and not given are left as they are (as regedit's Import does).
    .PARAMETER Path
        Full key path starting with HKEY_LOCAL_MACHINE\ (or HKLM\).
    .PARAMETER Value
        Value records (Name, Kind, Data) as Read-VmmRegFile returns them.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]
        [string] $Path,

        [Parameter(Mandatory = $true)]
        [AllowEmptyCollection()]
        [object[]] $Value
    )

    if ([System.Environment]::OSVersion.Platform -ne [System.PlatformID]::Win32NT) {
        throw "Cannot write the registry key '$Path': the registry exists only on Windows. Run this on the VMM management server."
    }
    $match = [regex]::Match($Path, '^(HKEY_LOCAL_MACHINE|HKLM)\\(.+)$', 'IgnoreCase')
    if (-not $match.Success) {
        throw "Cannot write the registry key '$Path': only keys under HKEY_LOCAL_MACHINE are supported."
    }
    $view = [Microsoft.Win32.RegistryView]::Default
    if ([System.Environment]::Is64BitOperatingSystem) { $view = [Microsoft.Win32.RegistryView]::Registry64 }
    $base = [Microsoft.Win32.RegistryKey]::OpenBaseKey([Microsoft.Win32.RegistryHive]::LocalMachine, $view)
    try {
        $key = $base.CreateSubKey($match.Groups[2].Value.TrimEnd('\'))
        try {
            foreach ($item in $Value) {
                $kind = [Microsoft.Win32.RegistryValueKind]([string]$item.Kind)
                $data = $item.Data
                switch ([string]$item.Kind) {
                    'DWord' { $data = [System.BitConverter]::ToInt32([System.BitConverter]::GetBytes([uint32]$item.Data), 0) }
                    'QWord' { $data = [System.BitConverter]::ToInt64([System.BitConverter]::GetBytes([uint64]$item.Data), 0) }
                    'MultiString' { $data = [string[]]@($item.Data) }
                    'Binary' { $data = [byte[]]@($item.Data) }
                    'None' { $data = [byte[]]@($item.Data) }
                    default { $data = [string]$item.Data }
                }
                $key.SetValue([string]$item.Name, $data, $kind)
            }
        } finally {
            $key.Dispose()
        }
    } finally {
        $base.Dispose()
    }
}
