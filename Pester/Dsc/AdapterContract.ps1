<#
.SYNOPSIS
    Speaks the contract of DSC v3's PowerShell adapter (Microsoft.Adapter/PowerShell) for one class-based
    resource, so the tests can drive the module's resources exactly as DSC v3 does, without the adapter itself.
.DESCRIPTION
    DSC v3 runs, for an adapted resource (the `resourceTypeArg` form of the adapter's manifest):
        pwsh -NoLogo -NonInteractive -NoProfile -ExecutionPolicy Bypass -Command
            "$Input | ./psDscAdapter/powershell.resource.ps1" <Get|Set|Test|Export> -ResourceType <Module>/<Class>
    with the instance's properties as one JSON object on standard input. This script takes the same arguments
    and input and answers the same way:
      - the module is imported by name from PSModulePath; the class is created with ::new(); each JSON
        property is assigned with `$instance.<Name> = <value>` (PowerShell's own conversions apply; a JSON
        object for a PSCredential property becomes a credential from `username`/`password` or
        `secureObject.Username`/`secureObject.Password`; a string for a SecureString property becomes one;
        any other JSON object becomes a hashtable);
      - Get: one compressed JSON line with every DSC property of the class (enums as their names);
      - Test: Test(), then Get(), and the Get line with `_inDesiredState` added;
      - Set: Set(), then the Get line;
      - Export: the static Export() (Export(<instance>) when properties were given), one JSON line per
        instance;
      - an exception anywhere: a JSON trace line {"error": "..."} on standard error and exit code 1; warnings
        as {"warn": "..."} lines on standard error; exit code 0 otherwise.
    Verbose and debug output are suppressed, errors stop ($ErrorActionPreference = 'Stop'), as in the adapter.
.PARAMETER Operation
    Get, Set, Test or Export.
.PARAMETER jsonInput
    The instance's properties as JSON (from the pipeline: standard input).
.PARAMETER ResourceType
    <Module>/<Class>.
.PARAMETER ResourcePath
    A module path to import first (the adapter's resourcePathArg).
.EXAMPLE
    '{"Path":"D:\\VmmBackup\\Database"}' | pwsh -NoProfile -Command '$Input | ./AdapterContract.ps1 Get -ResourceType VmmBackup/VmmDatabaseBackup'
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true, Position = 0)]
    [ValidateSet('Get', 'Set', 'Test', 'Export')]
    [string] $Operation,

    [Parameter(Position = 1, ValueFromPipeline = $true)]
    [string] $jsonInput = '{}',

    [Parameter(Mandatory = $true)]
    [string] $ResourceType,

    [string] $ResourcePath
)

$ErrorActionPreference = 'Stop'
$VerbosePreference = 'SilentlyContinue'
$DebugPreference = 'SilentlyContinue'
$ProgressPreference = 'SilentlyContinue'

function Write-Trace {
    param([string] $Level, [string] $Message)
    [Console]::Error.WriteLine((ConvertTo-Json -InputObject @{ $Level = $Message } -Compress -Depth 10))
}

# Every DSC property of the class, in declaration order (the adapter lists them from the class's syntax tree).
function Get-DscPropertyInfo {
    param([type] $Type)
    foreach ($property in $Type.GetProperties()) {
        if ($property.GetCustomAttributes([System.Management.Automation.DscPropertyAttribute], $true).Count -gt 0) { $property }
    }
}

function ConvertTo-PropertyTable {
    param($Instance, [string[]] $Names)
    $table = @{}
    foreach ($name in $Names) {
        $value = $Instance.$name
        if ($value -is [System.Enum]) { $value = $value.ToString() }
        $table[$name] = $value
    }
    $table
}

$lines = New-Object -TypeName System.Collections.Generic.List[string]
# The operation; its output lines are collected, its warnings become trace lines (the adapter runs resources
# in a PowerShell instance of its own, so nothing but the JSON reaches standard output).
$work = {
    $moduleName, $className = $ResourceType.Split('/')
    if ($ResourcePath) { Import-Module -Name $ResourcePath -Global -Force -ErrorAction Stop }
    $module = Get-Module -Name $moduleName
    if ($null -eq $module) {
        Import-Module -Name $moduleName -Force -ErrorAction Stop
        $module = Get-Module -Name $moduleName
    }
    if ($null -eq $module) { throw ("DSC resource '{0}' module not found." -f $ResourceType) }
    $type = $module.Invoke([scriptblock]::Create("'$className' -as 'type'"))
    if ($null -eq $type -or @($module.ExportedDscResources) -notcontains $className) {
        throw ("Can not find type ""{0}"". Please ensure that Get-DscResource returns this resource type." -f $ResourceType)
    }
    $propertyInfo = @(Get-DscPropertyInfo -Type $type)
    $names = @($propertyInfo | ForEach-Object { $_.Name })

    $inputObject = $null
    if ($jsonInput -and $jsonInput -ne '{}') { $inputObject = $jsonInput | ConvertFrom-Json }
    $instance = $type::new()
    $given = @()
    if ($null -ne $inputObject) { $given = @($inputObject.PSObject.Properties) }
    foreach ($property in $given) {
        $info = $propertyInfo | Where-Object { $_.Name -eq $property.Name } | Select-Object -First 1
        $value = $property.Value
        if ($value -is [System.Management.Automation.PSCustomObject]) {
            if ($null -ne $info -and $info.PropertyType -eq [System.Management.Automation.PSCredential]) {
                $secure = $value.PSObject.Properties['secureObject'] -and $value.secureObject.Username -and $value.secureObject.Password
                $text = $value.Username -and $value.Password
                if (-not $secure -and -not $text) { throw ("Credential object '{0}' requires both 'username' and 'password' properties" -f $property.Name) }
                $source = $value
                if ($secure) { $source = $value.secureObject }
                $value = New-Object -TypeName System.Management.Automation.PSCredential -ArgumentList $source.Username, ($source.Password | ConvertTo-SecureString -AsPlainText -Force)
            } else {
                $table = @{}
                foreach ($member in $value.PSObject.Properties) { $table[$member.Name] = $member.Value }
                $value = $table
            }
        } elseif ($null -ne $info -and $info.PropertyType -eq [System.Security.SecureString] -and -not [string]::IsNullOrEmpty($value)) {
            $value = ConvertTo-SecureString -AsPlainText $value -Force
        }
        $instance.($property.Name) = $value
    }

    switch ($Operation) {
        'Get' {
            ConvertTo-Json -InputObject (ConvertTo-PropertyTable -Instance $instance.Get() -Names $names) -Depth 10 -Compress
        }
        'Test' {
            $inDesiredState = [bool]$instance.Test()
            $state = ConvertTo-PropertyTable -Instance $instance.Get() -Names $names
            $state['_inDesiredState'] = $inDesiredState
            ConvertTo-Json -InputObject $state -Depth 10 -Compress
        }
        'Set' {
            $instance.Set()
            ConvertTo-Json -InputObject (ConvertTo-PropertyTable -Instance $instance.Get() -Names $names) -Depth 10 -Compress
        }
        'Export' {
            $filtered = $given.Count -gt 0
            $method = $type.GetMethods() | Where-Object { $_.Name -eq 'Export' -and $_.IsStatic -and ($_.GetParameters().Count -gt 0) -eq $filtered } | Select-Object -First 1
            if ($null -eq $method) {
                if ($filtered) { throw "Export method with parameters not implemented by resource '$ResourceType'. Filtered export is not supported." }
                throw "Export method not implemented by resource '$ResourceType'"
            }
            $arguments = $null
            if ($filtered) { $arguments = @($instance) }
            foreach ($exported in @($method.Invoke($null, $arguments))) {
                ConvertTo-Json -InputObject (ConvertTo-PropertyTable -Instance $exported -Names $names) -Depth 10 -Compress
            }
        }
    }
}
try {
    & $work 3>&1 6>$null | ForEach-Object {
        if ($_ -is [System.Management.Automation.WarningRecord]) {
            Write-Trace -Level 'warn' -Message $_.Message
        } else {
            $lines.Add([string]$_)
        }
    }
} catch {
    $exception = $_.Exception
    $message = $exception.Message
    while ($null -ne $exception.InnerException) {
        $exception = $exception.InnerException
        $message = $message + ' ' + $exception.Message
    }
    Write-Trace -Level 'error' -Message ('Exception: ' + $message)
    exit 1
}
foreach ($line in $lines) { [Console]::Out.WriteLine($line) }
exit 0
